package reviews

import (
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// A repository no sweep has refreshed for two days loses its series; one
// swept recently keeps them.
func TestReviewSeriesOfRepositoriesNoLongerSweptAreDeleted(t *testing.T) {
	f := New()
	reg := prometheus.NewRegistry()
	reg.MustRegister(f.Collectors()...)
	t0 := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	for _, r := range []string{"acme/gone", "acme/kept"} {
		f.samples.WithLabelValues(r).Set(3)
		f.firstReview.WithLabelValues(r, "0.5").Set(1)
		f.series.touch(r, t0, f.samples, f.firstReview)
	}
	f.series.touch("acme/kept", t0.Add(seriesTTL+time.Hour), f.samples, f.firstReview)
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var repos []string
	for _, mf := range families {
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "repo" {
					repos = append(repos, mf.GetName()+"/"+l.GetValue())
				}
			}
		}
	}
	if len(repos) != 2 {
		t.Errorf("series after the TTL: %v, want the two of acme/kept only", repos)
	}
	for _, r := range repos {
		if r != "overlap_review_first_response_samples/acme/kept" && r != "overlap_review_first_response_working_hours/acme/kept" {
			t.Errorf("series %s survived", r)
		}
	}
}
