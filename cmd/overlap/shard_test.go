package main

import "testing"

func TestParseShard(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	for _, c := range []struct {
		flag    string
		env     map[string]string
		i, n    int
		wantErr bool
	}{
		{"", nil, 0, 1, false},
		{"2/8", nil, 2, 8, false},
		{"", map[string]string{"JOB_COMPLETION_INDEX": "3", "OVERLAP_SWEEP_SHARDS": "4"}, 3, 4, false},
		{"", map[string]string{"JOB_COMPLETION_INDEX": "3"}, 0, 1, false},
		{"8/8", nil, 0, 0, true},
		{"-1/2", nil, 0, 0, true},
		{"a/b", nil, 0, 0, true},
		{"3", nil, 0, 0, true},
	} {
		i, n, err := parseShard(c.flag, env(c.env))
		if (err != nil) != c.wantErr || (err == nil && (i != c.i || n != c.n)) {
			t.Errorf("parseShard(%q, %v) = %d/%d, %v; want %d/%d, error %v", c.flag, c.env, i, n, err, c.i, c.n, c.wantErr)
		}
	}
}
