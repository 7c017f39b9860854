package app

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/overlaphq/overlap/handlers"
)

// dirtySet remembers the repositories (and their PRs, issues and
// discussions) whose events failed after every retry. The repair loop
// sweeps them first, soon after the failure, rather than waiting for a
// feature's interval; the items named are reconciled whatever their age.
//
// It lives in the process: a pod that dies loses it, and then the recomputed
// watermark of the next sweeps (handlers.RecentScope) and the redelivery job
// cover what it held.
type dirtySet struct {
	mu sync.Mutex
	m  map[string]*dirtyRepo
}

type dirtyRepo struct {
	installationID int64
	owner, name    string
	numbers        map[int]struct{}
	since          time.Time
}

// maxDirtyNumbers bounds what one repository remembers; past it, the
// repository's next sweep is a full one.
const maxDirtyNumbers = 1000

func (d *dirtySet) mark(installationID int64, owner, name string, number int, at time.Time) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.m == nil {
		d.m = map[string]*dirtyRepo{}
	}
	key := repoKey(owner, name)
	r := d.m[key]
	if r == nil {
		r = &dirtyRepo{installationID: installationID, owner: owner, name: name, numbers: map[int]struct{}{}, since: at}
		d.m[key] = r
	}
	if number > 0 && len(r.numbers) < maxDirtyNumbers {
		r.numbers[number] = struct{}{}
	}
}

// scope returns what a sweep of the repository must also reconcile, and
// whether the repository is dirty at all.
func (d *dirtySet) scope(owner, name string) (numbers []int, ok bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	r := d.m[repoKey(owner, name)]
	if r == nil {
		return nil, false
	}
	for n := range r.numbers {
		numbers = append(numbers, n)
	}
	slices.Sort(numbers)
	return numbers, true
}

// clear forgets what a successful sweep reconciled: the numbers it was
// given; marks made since stay.
func (d *dirtySet) clear(owner, name string, numbers []int) {
	d.mu.Lock()
	defer d.mu.Unlock()
	key := repoKey(owner, name)
	r := d.m[key]
	if r == nil {
		return
	}
	for _, n := range numbers {
		delete(r.numbers, n)
	}
	if len(r.numbers) == 0 {
		delete(d.m, key)
	}
}

// repos lists the dirty repositories by installation.
func (d *dirtySet) repos() map[int64][]dirtyRepo {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := map[int64][]dirtyRepo{}
	for _, r := range d.m {
		out[r.installationID] = append(out[r.installationID], *r)
	}
	return out
}

// Len is how many repositories are dirty.
func (d *dirtySet) Len() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.m)
}

// onGiveUp marks the repository of a job that failed every retry.
func (a *App) onGiveUp(ctx context.Context, j JobInfo, err error) {
	ev, perr := handlers.ParseEvent(j.Dispatch.EventType, j.Dispatch.DeliveryID, j.Dispatch.Payload)
	log := zerolog.Ctx(ctx)
	a.metrics.gaveUp.Inc()
	if perr != nil || ev.Repo.Owner == "" || ev.Repo.Name == "" {
		log.Error().Err(err).Int("attempts", j.Attempts).Msg("event failed after its retries; the next sweeps repair it")
		return
	}
	a.dirty.mark(ev.InstallationID, ev.Repo.Owner, ev.Repo.Name, ev.Number, a.clock.Now())
	a.metrics.dirtyRepos.Set(float64(a.dirty.Len()))
	log.Error().Err(err).Int("attempts", j.Attempts).Int("number", ev.Number).
		Msg("event failed after its retries; its repository is marked for the repair sweep")
}

// forgetInstallation drops the dirty repositories of an installation.
func (d *dirtySet) forgetInstallation(id int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	for k, r := range d.m {
		if r.installationID == id {
			delete(d.m, k)
		}
	}
}
