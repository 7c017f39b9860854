package app

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"time"

	"github.com/google/go-github/v60/github"
	lru "github.com/hashicorp/golang-lru"

	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/handlers"
)

// policyCache keeps the policy loaded for a repository and ref for a short
// while, so an event that no feature acts on costs no GitHub call once its
// repository's policy is known (even a 304 costs a round trip, and three
// of them — repository file, org repository, org file — for a repository
// without a policy). A `push` that touches a policy file forgets what it
// changed at once; the TTL bounds what another replica, which did not get
// that push, may still serve.
type policyCache struct {
	next handlers.PolicyLoader
	ttl  time.Duration
	now  func() time.Time

	mu      sync.Mutex
	entries *lru.Cache // "installation/owner/repo@ref" (lower-case) → policyEntry
}

type policyEntry struct {
	loaded config.Loaded
	at     time.Time
}

// policyTTL is how long a loaded policy is served without asking GitHub.
const policyTTL = 2 * time.Minute

func newPolicyCache(next handlers.PolicyLoader, size int, now func() time.Time) *policyCache {
	c, _ := lru.New(max(size, 1))
	return &policyCache{next: next, ttl: policyTTL, now: now, entries: c}
}

func (p *policyCache) Source() config.PolicySource { return p.next.Source() }

func policyKey(owner, repo, ref string) string {
	return strings.ToLower(owner + "/" + repo + "@" + ref)
}

// Load serves a fresh cached policy, or loads it.
func (p *policyCache) Load(ctx context.Context, client *github.Client, owner, repo, ref string) (config.Loaded, error) {
	key := policyKey(owner, repo, ref)
	if v, ok := p.entries.Get(key); ok {
		e := v.(policyEntry)
		if p.now().Sub(e.at) < p.ttl {
			return e.loaded, nil
		}
	}
	loaded, err := p.next.Load(ctx, client, owner, repo, ref)
	if err != nil {
		return loaded, err
	}
	p.entries.Add(key, policyEntry{loaded: loaded, at: p.now()})
	return loaded, nil
}

// forget drops every cached policy of a repository (all refs), or of a
// whole owner when repo is "".
func (p *policyCache) forget(owner, repo string) {
	prefix := strings.ToLower(owner + "/")
	if repo != "" {
		prefix = strings.ToLower(owner + "/" + repo + "@")
	}
	for _, k := range p.entries.Keys() {
		if strings.HasPrefix(k.(string), prefix) {
			p.entries.Remove(k)
		}
	}
}

// onPush forgets the policies a push may have changed: the repository's
// own file, or — in the org's policy repository — the org default, which
// every repository of the owner may inherit. A push whose commit list
// GitHub truncated (more than 20 commits) forgets the repository anyway.
func (p *policyCache) onPush(ev *handlers.Event) {
	var push struct {
		Commits []struct {
			Added    []string `json:"added"`
			Modified []string `json:"modified"`
			Removed  []string `json:"removed"`
		} `json:"commits"`
	}
	if err := json.Unmarshal(ev.Payload, &push); err != nil {
		p.forget(ev.Repo.Owner, ev.Repo.Name)
		return
	}
	src := p.Source()
	orgRepo := strings.EqualFold(ev.Repo.Name, src.OrgRepo)
	touched := len(push.Commits) == 0 || len(push.Commits) >= 20
	for _, c := range push.Commits {
		for _, list := range [][]string{c.Added, c.Modified, c.Removed} {
			for _, f := range list {
				if f == src.Path || (orgRepo && f == src.OrgPath) || strings.HasPrefix(f, ".github/") {
					touched = true
				}
			}
		}
	}
	if !touched {
		return
	}
	if orgRepo {
		p.forget(ev.Repo.Owner, "")
		return
	}
	p.forget(ev.Repo.Owner, ev.Repo.Name)
}
