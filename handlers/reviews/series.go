package reviews

import (
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// seriesTTL is how long a repository's review figures stay on /metrics
// without a sweep refreshing them: a repository removed from the
// installation (or archived) stops being swept, and its series go with it
// rather than piling up for ever.
const seriesTTL = 48 * time.Hour

// repoSeries remembers when each repository's series were last set.
type repoSeries struct {
	mu   sync.Mutex
	seen map[string]time.Time
}

// touch records repo's series as set at now and deletes, from every vec,
// the series of repositories not set within seriesTTL.
func (s *repoSeries) touch(repo string, now time.Time, vecs ...*prometheus.GaugeVec) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen == nil {
		s.seen = map[string]time.Time{}
	}
	s.seen[repo] = now
	for r, at := range s.seen {
		if now.Sub(at) <= seriesTTL {
			continue
		}
		delete(s.seen, r)
		for _, v := range vecs {
			v.DeletePartialMatch(prometheus.Labels{"repo": r})
		}
	}
}
