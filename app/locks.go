package app

import "sync"

// repoLocks serialises work on one repository inside a process: events
// for the same repository, and a sweep of it, run one at a time, while
// different repositories proceed in parallel. Features read, decide and
// write (a tracking issue's data block, a comment carrying state); two
// workers doing that at once for one repository could each write what the
// other had not yet seen. Across replicas the reconcilers still converge;
// this removes the common in-process race.
type repoLocks struct {
	mu    sync.Mutex
	locks map[string]*repoLock
}

type repoLock struct {
	sync.Mutex
	users int
}

// lock takes the lock of key and returns its release.
func (r *repoLocks) lock(key string) (unlock func()) {
	r.mu.Lock()
	if r.locks == nil {
		r.locks = map[string]*repoLock{}
	}
	l := r.locks[key]
	if l == nil {
		l = &repoLock{}
		r.locks[key] = l
	}
	l.users++
	r.mu.Unlock()

	l.Lock()
	return func() {
		l.Unlock()
		r.mu.Lock()
		if l.users--; l.users == 0 {
			delete(r.locks, key)
		}
		r.mu.Unlock()
	}
}
