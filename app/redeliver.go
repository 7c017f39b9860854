package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/overlaphq/overlap/internal/gh"
)

// GitHub never redelivers a failed webhook delivery by itself: a delivery
// the app answered 503 (a full queue), 500, or not at all (a pod that was
// restarting) is lost unless someone asks for it again. RedeliverFailed is
// that someone. It is the event-level repair path; the sweeps are the
// state-level one (principle 8).

// MaxRedeliveries is how many times the job asks GitHub to redeliver one
// event. One: if the app fails the same event twice, a third attempt is
// unlikely to help and the repository's sweep repairs what the event would
// have done.
const MaxRedeliveries = 1

// DeliveryRetention is how long GitHub keeps an App's deliveries for
// listing and redelivery on github.com (GHES: 7 days): a watermark older
// than this reads nothing more.
const DeliveryRetention = 72 * time.Hour

// appInstallation is the gate and pacer key of the App's own (JWT)
// requests; installation ids start at 1.
const appInstallation = 0

// confirmTimeout bounds how long a run waits for GitHub to record the
// redeliveries it asked for.
const confirmTimeout = 30 * time.Second

// RedeliveryReport says what one RedeliverFailed run saw and did.
type RedeliveryReport struct {
	// Listed is the number of delivery attempts listed since the watermark.
	Listed int
	// Failed is the number of events (GUIDs) whose attempts all failed.
	Failed int
	// Redelivered is the number of events GitHub accepted a redelivery for.
	Redelivered int
	// Skipped is the number of failed events left alone: redelivered
	// MaxRedeliveries times already, redelivered by another run meanwhile,
	// or expired at GitHub.
	Skipped int
	// Succeeded and StillFailing are the outcomes of this run's
	// redeliveries as GitHub recorded them; Unconfirmed were not recorded
	// within confirmTimeout (the next run sees them).
	Succeeded, StillFailing, Unconfirmed int
}

// RedeliverFailed lists the App's webhook deliveries back to since (newest
// first, following GitHub's cursor), groups the attempts by their GUID (the
// X-GitHub-Delivery id, which GitHub keeps on every redelivery), and asks
// GitHub once to redeliver each event none of whose attempts succeeded, up
// to MaxRedeliveries redeliveries per event. A 2xx attempt anywhere in the
// group means the app accepted the event; that the job then did its work is
// the queue's and the sweep's business, not this one's.
//
// The job keeps no state: GitHub records every attempt, so a redelivery is
// itself the mark that an event was handled. A run that comes after another
// replica's sees that replica's redelivery as a newer attempt with the same
// GUID and leaves the event alone; and right before each POST the run
// re-reads the head of the list, so a redelivery another replica made while
// this run was working is seen too. Two runs in one process are serialised.
// Two processes whose runs reach the same event at the same moment can each
// redeliver it once (GitHub offers no compare-and-set); the handlers
// converge on a duplicate delivery (principle 1), so the cost is one extra
// event, never a duplicate outcome. Schedule the job from one place (the
// sweep CronJob) to make even that rare.
//
// Requests go through the App's rate-limit gate, so a Retry-After or a
// primary-limit reset is waited out (up to the gate's inline limit; a
// longer window ends the run with the gate's PausedError and the next run
// carries on), and the POSTs are paced like every write. since should
// reach back at least one run interval plus the delivery latency; older
// than GitHub's 3-day retention is pointless.
func (a *App) RedeliverFailed(ctx context.Context, since time.Time) (RedeliveryReport, error) {
	a.redeliverMu.Lock()
	defer a.redeliverMu.Unlock()
	var rep RedeliveryReport
	client, err := a.redeliveryClient()
	if err != nil {
		return rep, err
	}
	log := a.log.With().Str("job", "redeliver").Logger()

	listed, err := listDeliveries(ctx, client, func(d *github.HookDelivery) bool {
		return d.GetDeliveredAt().Time.Before(since)
	})
	if err != nil {
		return rep, err
	}
	rep.Listed = len(listed)
	newest := newestID(listed, 0)
	p := planRedeliveries(listed, MaxRedeliveries)
	rep.Failed = len(p.redeliver) + len(p.exhausted)
	for _, d := range p.exhausted {
		rep.Skipped++
		log.Warn().Str("guid", d.GetGUID()).Str("event", d.GetEvent()).Int64("installation_id", d.GetInstallationID()).
			Int64("repository_id", d.GetRepositoryID()).Int("status_code", d.GetStatusCode()).
			Msg("delivery still failing after its redelivery; the repository's sweep repairs what it would have done")
	}

	var asked []*github.HookDelivery
	confirmFrom := newest
	for _, d := range p.redeliver {
		// Re-read what GitHub recorded since the listing: another replica
		// may have redelivered this event meanwhile.
		head, err := listDeliveries(ctx, client, func(h *github.HookDelivery) bool { return h.GetID() <= newest })
		if err != nil {
			return rep, err
		}
		if len(asked) == 0 {
			confirmFrom = newestID(head, newest)
		}
		newest = newestID(head, newest)
		if newerAttempt(head, d) {
			rep.Skipped++
			continue
		}
		_, resp, err := client.Apps.RedeliverHookDelivery(ctx, d.GetID())
		var accepted *github.AcceptedError
		switch {
		case err == nil || errors.As(err, &accepted):
		case resp != nil && resp.StatusCode == http.StatusNotFound:
			rep.Skipped++ // past GitHub's retention since the listing
			continue
		default:
			return rep, fmt.Errorf("redeliver delivery %d (%s %s): %w", d.GetID(), d.GetEvent(), d.GetGUID(), err)
		}
		rep.Redelivered++
		asked = append(asked, d)
		log.Info().Str("guid", d.GetGUID()).Str("event", d.GetEvent()).Int64("delivery_id", d.GetID()).
			Int("status_code", d.GetStatusCode()).Msg("asked GitHub to redeliver a failed delivery")
	}
	if len(asked) > 0 {
		if err := a.confirmRedeliveries(ctx, client, asked, confirmFrom, &rep); err != nil {
			return rep, err
		}
	}
	log.Info().Int("listed", rep.Listed).Int("failed", rep.Failed).Int("redelivered", rep.Redelivered).
		Int("skipped", rep.Skipped).Int("succeeded", rep.Succeeded).Int("still_failing", rep.StillFailing).
		Msg("redelivery run done")
	return rep, nil
}

// redeliveryClient is the App's JWT client with the App's own rate-limit
// gate and write pacer below go-github, as installation clients have.
func (a *App) redeliveryClient() (*github.Client, error) {
	base, err := a.clients.NewAppClient()
	if err != nil {
		return nil, fmt.Errorf("create GitHub app client: %w", err)
	}
	hc := base.Client()
	hc.Transport = a.gates.transport(appInstallation, gh.PaceTransport(a.pacer(appInstallation), hc.Transport))
	c := github.NewClient(hc)
	c.BaseURL, c.UploadURL, c.UserAgent = base.BaseURL, base.UploadURL, base.UserAgent
	return c, nil
}

// confirmRedeliveries waits, with backoff and a deadline, until GitHub has
// recorded an attempt newer than from for each GUID asked for, and counts
// their outcomes. Waiting keeps the next run (here or in another replica)
// from mistaking a redelivery still on its way for none.
func (a *App) confirmRedeliveries(ctx context.Context, client *github.Client, asked []*github.HookDelivery, from int64, rep *RedeliveryReport) error {
	pending := map[string]bool{}
	for _, d := range asked {
		pending[d.GetGUID()] = true
	}
	deadline := time.NewTimer(confirmTimeout)
	defer deadline.Stop()
	wait := 20 * time.Millisecond
	for len(pending) > 0 {
		head, err := listDeliveries(ctx, client, func(h *github.HookDelivery) bool { return h.GetID() <= from })
		if err != nil {
			return err
		}
		// Oldest first, so the latest attempt of a GUID decides.
		sort.Slice(head, func(i, j int) bool { return head[i].GetID() < head[j].GetID() })
		for _, h := range head {
			if !pending[h.GetGUID()] || !h.GetRedelivery() {
				continue
			}
			delete(pending, h.GetGUID())
			if ok2xx(h.GetStatusCode()) {
				rep.Succeeded++
			} else {
				rep.StillFailing++
			}
		}
		if len(pending) == 0 {
			break
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return fmt.Errorf("confirm redeliveries: %w", ctx.Err())
		case <-deadline.C:
			t.Stop()
			rep.Unconfirmed += len(pending)
			return nil
		case <-t.C:
		}
		wait = min(wait*2, 2*time.Second)
	}
	return nil
}

// listDeliveries pages through GET /app/hook/deliveries (newest first,
// 100 a page, GitHub's cursor from the Link header) until stop says a
// delivery is past what the caller needs.
func listDeliveries(ctx context.Context, client *github.Client, stop func(*github.HookDelivery) bool) ([]*github.HookDelivery, error) {
	var out []*github.HookDelivery
	opt := &github.ListCursorOptions{PerPage: 100}
	for {
		page, resp, err := client.Apps.ListHookDeliveries(ctx, opt)
		if err != nil {
			return out, fmt.Errorf("list app webhook deliveries: %w", err)
		}
		for _, d := range page {
			if stop(d) {
				return out, nil
			}
			out = append(out, d)
		}
		if resp.Cursor == "" || len(page) == 0 {
			return out, nil
		}
		opt.Cursor = resp.Cursor
	}
}

func newestID(ds []*github.HookDelivery, floor int64) int64 {
	for _, d := range ds {
		floor = max(floor, d.GetID())
	}
	return floor
}

// newerAttempt reports whether head holds an attempt for d's GUID newer
// than d: another run redelivered the event.
func newerAttempt(head []*github.HookDelivery, d *github.HookDelivery) bool {
	for _, h := range head {
		if h.GetGUID() == d.GetGUID() && h.GetID() > d.GetID() {
			return true
		}
	}
	return false
}

func ok2xx(code int) bool { return code >= 200 && code < 300 }

// redeliveryPlan is what to do with the failed events of one listing.
type redeliveryPlan struct {
	redeliver []*github.HookDelivery // each event's latest attempt, oldest event first
	exhausted []*github.HookDelivery // failed events out of redeliveries (latest attempt)
}

// planRedeliveries decides, from the listed attempts alone, which events to
// redeliver: those without any 2xx attempt (a 503 from a full queue, a 500,
// no answer at all) that have had fewer than max redeliveries. It is a
// plain function over GitHub's records, so a replica that sees another
// replica's redelivery in the list decides the same way.
func planRedeliveries(ds []*github.HookDelivery, max int) redeliveryPlan {
	type group struct {
		latest      *github.HookDelivery
		ok          bool
		redelivered int
	}
	groups := map[string]*group{}
	for _, d := range ds {
		g := groups[d.GetGUID()]
		if g == nil {
			g = &group{}
			groups[d.GetGUID()] = g
		}
		if g.latest == nil || d.GetID() > g.latest.GetID() {
			g.latest = d
		}
		g.ok = g.ok || ok2xx(d.GetStatusCode())
		if d.GetRedelivery() {
			g.redelivered++
		}
	}
	var p redeliveryPlan
	for _, g := range groups {
		switch {
		case g.ok:
		case g.redelivered >= max:
			p.exhausted = append(p.exhausted, g.latest)
		default:
			p.redeliver = append(p.redeliver, g.latest)
		}
	}
	byID := func(s []*github.HookDelivery) {
		sort.Slice(s, func(i, j int) bool { return s[i].GetID() < s[j].GetID() })
	}
	byID(p.redeliver)
	byID(p.exhausted)
	return p
}
