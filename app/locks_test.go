package app

import (
	"sync"
	"sync/atomic"
	"testing"
)

func TestRepoLocksSerialiseOneRepositoryOnly(t *testing.T) {
	var locks repoLocks
	var inA, maxA atomic.Int64
	var wg sync.WaitGroup
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			unlock := locks.lock("acme/a")
			n := inA.Add(1)
			for {
				m := maxA.Load()
				if n <= m || maxA.CompareAndSwap(m, n) {
					break
				}
			}
			inA.Add(-1)
			unlock()
		}()
	}
	// Another repository's lock is independent: taking it while acme/a is
	// held must not block.
	unlockA := locks.lock("acme/a")
	unlockB := locks.lock("acme/b")
	unlockB()
	unlockA()
	wg.Wait()
	if maxA.Load() != 1 {
		t.Errorf("%d workers held acme/a at once, want 1", maxA.Load())
	}
	if len(locks.locks) != 0 {
		t.Errorf("released locks are kept: %d", len(locks.locks))
	}
}
