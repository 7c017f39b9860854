package reviews

import (
	"slices"
	"time"

	"github.com/overlaphq/overlap/internal/calendar"
)

// Figure is a repository's time-to-first-review over a window, in the
// working time of whoever answered each request.
type Figure struct {
	// Count is the number of review requests answered in the window.
	Count int
	// Median and P90 are zero when Count is zero.
	Median, P90 time.Duration
}

// FirstReviewTimes returns, for every review request whose first answering
// review was submitted in [from, to), the working time the request waited:
// measured on the calendar of the person who reviewed (any member, for a
// team request). A request answered before a later re-request counts once,
// for the earlier request.
func FirstReviewTimes(prs []PR, cal *calendar.Calendar, from, to time.Time) []time.Duration {
	var out []time.Duration
	for _, pr := range prs {
		for i, rq := range pr.Requested {
			if rq.Bot {
				continue
			}
			rv, ok := firstReview(pr, rq)
			if !ok || rv.At.Before(from) || !rv.At.Before(to) {
				continue
			}
			// A re-request of the same reviewer before the review: the
			// review answers the later request, which is counted instead.
			if answeredLater(pr.Requested[i+1:], rq, rv.At) {
				continue
			}
			out = append(out, cal.WorkingTime(rv.Author, rq.At, rv.At))
		}
	}
	return out
}

func answeredLater(later []Request, rq Request, at time.Time) bool {
	for _, l := range later {
		if l.Reviewer == rq.Reviewer && !l.At.After(at) {
			return true
		}
	}
	return false
}

// Weekly is the weekly figure: the median and 90th percentile of
// time-to-first-review (working hours) for requests answered in the seven
// days before now. The weekly-updates summary calls it with the PRs the
// sweep reads (see LoadPRs).
func Weekly(prs []PR, cal *calendar.Calendar, now time.Time) Figure {
	return Summarize(FirstReviewTimes(prs, cal, now.Add(-7*24*time.Hour), now))
}

// Summarize computes the median and 90th percentile (nearest rank).
func Summarize(ds []time.Duration) Figure {
	if len(ds) == 0 {
		return Figure{}
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return Figure{Count: len(s), Median: quantile(s, 0.5), P90: quantile(s, 0.9)}
}

// quantile is the nearest-rank quantile of sorted s: the smallest value with
// at least q of the samples at or below it.
func quantile(s []time.Duration, q float64) time.Duration {
	rank := int(q*float64(len(s)) + 0.999999999)
	return s[min(max(rank, 1), len(s))-1]
}
