package app

import (
	"github.com/gregjones/httpcache"
	lru "github.com/hashicorp/golang-lru"
)

// cachedResponses bounds each installation client's HTTP cache.
const cachedResponses = 4096

// newHTTPCache gives each installation client its own bounded response
// cache, so conditional requests (ETag → 304, which do not count against
// the rate limit) work without one installation ever reading another's
// responses, and without the unbounded growth of httpcache.NewMemoryCache.
func newHTTPCache() httpcache.Cache {
	c, err := lru.New(cachedResponses)
	if err != nil {
		panic(err) // only for a non-positive size, which is a constant here
	}
	return lruCache{c}
}

type lruCache struct{ c *lru.Cache }

func (l lruCache) Get(key string) ([]byte, bool) {
	v, ok := l.c.Get(key)
	if !ok {
		return nil, false
	}
	return v.([]byte), true
}

func (l lruCache) Set(key string, b []byte) { l.c.Add(key, b) }
func (l lruCache) Delete(key string)        { l.c.Remove(key) }
