package app

import (
	"container/list"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/gregjones/httpcache"
)

// responseCache is one memory budget, in bytes, for every installation
// client's HTTP cache. Conditional requests (ETag → 304) do not count
// against the rate limit, so the cache saves calls; bounding it by bytes
// rather than by a count of responses per client keeps a pod's memory
// fixed however many installations are active and however large their
// responses (a policy file, a listing of 100 PRs).
//
// Each client gets its own namespace (a view), so no installation ever
// reads a response cached for another.
type responseCache struct {
	mu    sync.Mutex
	max   int64
	size  int64
	order *list.List // front = most recently used
	items map[string]*list.Element
	next  atomic.Int64
}

type cacheEntry struct {
	key string
	val []byte
}

func newResponseCache(maxBytes int64) *responseCache {
	return &responseCache{max: maxBytes, order: list.New(), items: map[string]*list.Element{}}
}

// view returns a namespace in the cache: name's (an installation's, so
// its responses outlive an evicted client), or a new one when name is "".
func (c *responseCache) view(name string) httpcache.Cache {
	if name == "" {
		name = "client-" + strconv.FormatInt(c.next.Add(1), 36)
	}
	return cacheView{c: c, prefix: name + "\x00"}
}

func (c *responseCache) get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.items[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*cacheEntry).val, true
}

func (c *responseCache) set(key string, val []byte) {
	cost := int64(len(key) + len(val))
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.removeLocked(el)
	}
	if cost > c.max/8 { // one response may not take over the cache
		return
	}
	c.items[key] = c.order.PushFront(&cacheEntry{key: key, val: val})
	c.size += cost
	for c.size > c.max {
		c.removeLocked(c.order.Back())
	}
}

func (c *responseCache) delete(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.items[key]; ok {
		c.removeLocked(el)
	}
}

func (c *responseCache) removeLocked(el *list.Element) {
	e := el.Value.(*cacheEntry)
	c.order.Remove(el)
	delete(c.items, e.key)
	c.size -= int64(len(e.key) + len(e.val))
}

// Bytes is the cache's current size.
func (c *responseCache) Bytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size
}

type cacheView struct {
	c      *responseCache
	prefix string
}

func (v cacheView) Get(key string) ([]byte, bool) { return v.c.get(v.prefix + key) }
func (v cacheView) Set(key string, b []byte)      { v.c.set(v.prefix+key, b) }
func (v cacheView) Delete(key string)             { v.c.delete(v.prefix + key) }
