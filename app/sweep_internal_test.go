package app

import "testing"

// Every installation belongs to exactly one shard, the same one every time.
func TestShardsPartitionInstallations(t *testing.T) {
	const shards = 4
	counts := make([]int, shards)
	for id := int64(1); id <= 4000; id++ {
		s := shardOf(id, shards)
		if s < 0 || s >= shards || shardOf(id, shards) != s {
			t.Fatalf("installation %d: shard %d", id, s)
		}
		counts[s]++
	}
	for i, c := range counts {
		if c < 800 || c > 1200 {
			t.Errorf("shard %d holds %d of 4,000 installations; want about 1,000 each", i, c)
		}
	}
}

// Passes cut short after the same number of repositories still reach
// every repository in turn.
func TestRotationReachesEveryRepository(t *testing.T) {
	const n, reach = 97, 10 // 97 repositories; each pass gets through 10
	seen := map[int]bool{}
	for k := int64(0); k < 60 && len(seen) < n; k++ {
		start := ((RotationFor(k) % n) + n) % n
		for i := 0; i < reach; i++ {
			seen[(start+i)%n] = true
		}
	}
	if len(seen) != n {
		t.Errorf("60 passes of 10 repositories reached %d of %d", len(seen), n)
	}
}
