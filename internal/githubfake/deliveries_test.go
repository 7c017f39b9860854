package githubfake

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/google/go-github/v60/github"
	"github.com/palantir/go-githubapp/githubapp"

	overlap "github.com/overlaphq/overlap"
	"github.com/overlaphq/overlap/internal/githubfake/webhook"
)

// receiver is an app's webhook endpoint that answers each delivery with the
// next status of a script (then 200), and remembers what it got.
type receiver struct {
	mu     sync.Mutex
	script []int
	got    []received
}

type received struct {
	guid, event string
	signed      bool
	body        []byte
}

func (rv *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	rv.mu.Lock()
	rv.got = append(rv.got, received{
		guid: r.Header.Get("X-GitHub-Delivery"), event: r.Header.Get("X-GitHub-Event"),
		signed: r.Header.Get("X-Hub-Signature-256") == webhook.Sign("s3cret", body), body: body,
	})
	status := http.StatusOK
	if len(rv.script) > 0 {
		status, rv.script = rv.script[0], rv.script[1:]
	}
	rv.mu.Unlock()
	w.WriteHeader(status)
}

func (rv *receiver) received() []received {
	rv.mu.Lock()
	defer rv.mu.Unlock()
	return append([]received(nil), rv.got...)
}

type hookWorld struct {
	fake *Server
	now  *wallClock // the simulated clock (Options.Now)
	rv   *receiver
	app  *github.Client
	inst int64
}

func newHookWorld(t *testing.T, script ...int) *hookWorld {
	t.Helper()
	rv := &receiver{script: script}
	hook := httptest.NewServer(rv)
	t.Cleanup(hook.Close)
	now := &wallClock{t: t0}
	f := NewTest(t, Options{Now: now.Now, WebhookURL: hook.URL, WebhookSecret: "s3cret"})
	inst := f.AddInstallation("acme", "Organization")
	f.AddRepo(inst, "acme", "api", RepoOptions{})
	app, err := githubapp.NewClientCreator(f.URL()+"/", f.URL()+"/graphql", f.AppID(), f.AppPrivateKeyPEM()).NewAppClient()
	if err != nil {
		t.Fatal(err)
	}
	return &hookWorld{fake: f, now: now, rv: rv, app: app, inst: inst}
}

func (hw *hookWorld) deliver(t *testing.T, event, action string) Delivery {
	t.Helper()
	info, _ := hw.fake.Repo("acme", "api")
	payload, _ := json.Marshal(map[string]any{
		"action": action, "installation": map[string]any{"id": hw.inst},
		"repository": map[string]any{"id": info.ID, "full_name": "acme/api"},
	})
	d, err := hw.fake.Deliver(context.Background(), event, "", payload)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// listAll pages through GET /app/hook/deliveries with the cursor from the
// Link header, as go-github exposes it.
func (hw *hookWorld) listAll(t *testing.T, perPage int) ([]*github.HookDelivery, int) {
	t.Helper()
	var all []*github.HookDelivery
	opt := &github.ListCursorOptions{PerPage: perPage}
	pages := 0
	for {
		page, resp, err := hw.app.Apps.ListHookDeliveries(context.Background(), opt)
		if err != nil {
			t.Fatalf("ListHookDeliveries: %v", err)
		}
		pages++
		all = append(all, page...)
		if resp.Cursor == "" {
			return all, pages
		}
		opt.Cursor = resp.Cursor
	}
}

func TestDeliveriesAreRecordedAndListedNewestFirst(t *testing.T) {
	hw := newHookWorld(t, http.StatusServiceUnavailable)
	first := hw.deliver(t, "pull_request", "opened")
	hw.now.Advance(time.Minute)
	second := hw.deliver(t, "issues", "edited")
	hw.now.Advance(time.Minute)
	third := hw.deliver(t, "push", "")

	if first.StatusCode != 503 || first.Status != "Invalid HTTP Response: 503" || second.Status != "OK" {
		t.Errorf("recorded = %+v / %+v", first, second)
	}
	for _, r := range hw.rv.received() {
		if !r.signed {
			t.Errorf("delivery %s was not signed with the webhook secret", r.guid)
		}
	}

	all, pages := hw.listAll(t, 2)
	if pages != 2 {
		t.Errorf("pages = %d, want 2 (3 deliveries, per_page 2)", pages)
	}
	var ids []int64
	for _, d := range all {
		ids = append(ids, d.GetID())
	}
	if len(ids) != 3 || ids[0] != third.ID || ids[1] != second.ID || ids[2] != first.ID {
		t.Fatalf("ids = %v, want newest first [%d %d %d]", ids, third.ID, second.ID, first.ID)
	}
	got := all[2]
	info, _ := hw.fake.Repo("acme", "api")
	if got.GetGUID() != first.GUID || got.GetEvent() != "pull_request" || got.GetAction() != "opened" ||
		got.GetStatusCode() != 503 || got.GetRedelivery() || got.GetInstallationID() != hw.inst ||
		got.GetRepositoryID() != info.ID || !got.GetDeliveredAt().Time.Equal(t0) {
		t.Errorf("listed delivery = %v", got)
	}

	detail, _, err := hw.app.Apps.GetHookDelivery(context.Background(), first.ID)
	if err != nil {
		t.Fatal(err)
	}
	if detail.GetRequest().GetHeaders()["X-GitHub-Delivery"] != first.GUID {
		t.Errorf("request headers = %v", detail.GetRequest().GetHeaders())
	}
	if p, err := detail.ParseRequestPayload(); err != nil || p.(*github.PullRequestEvent).GetAction() != "opened" {
		t.Errorf("request payload = %v, %v", p, err)
	}
}

func TestDeliveryJSONHasGitHubsRequiredFields(t *testing.T) {
	hw := newHookWorld(t)
	hw.deliver(t, "push", "")
	req, _ := hw.app.NewRequest(http.MethodGet, "app/hook/deliveries", nil)
	var items []map[string]any
	if _, err := hw.app.Do(context.Background(), req, &items); err != nil || len(items) != 1 {
		t.Fatalf("list: %d items, %v", len(items), err)
	}
	for _, field := range requiredFields(t, "hook-delivery-item") {
		if _, ok := items[0][field]; !ok {
			t.Errorf("field %q missing; GitHub's schema requires it", field)
		}
	}
	if items[0]["action"] != nil {
		t.Errorf("action = %v, want null for an event without one", items[0]["action"])
	}
}

// requiredFields reads a component schema's required list from GitHub's
// OpenAPI description.
func requiredFields(t *testing.T, schema string) []string {
	t.Helper()
	f, err := overlap.GitHubData.Open("testdata/github/rest/api.github.com.json.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Required []string `json:"required"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.NewDecoder(zr).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	req := doc.Components.Schemas[schema].Required
	if len(req) == 0 {
		t.Fatalf("schema %s has no required fields", schema)
	}
	return req
}

func TestDeliveryListFilters(t *testing.T) {
	hw := newHookWorld(t, 500, 200, 404)
	for i := 0; i < 3; i++ {
		hw.deliver(t, "issues", "opened")
	}
	tests := []struct {
		status string
		want   []int
	}{
		{"", []int{404, 200, 500}},
		{"success", []int{200}},
		{"failure", []int{404, 500}},
	}
	for _, tt := range tests {
		t.Run("status="+tt.status, func(t *testing.T) {
			req, _ := hw.app.NewRequest(http.MethodGet, "app/hook/deliveries?status="+tt.status, nil)
			var items []github.HookDelivery
			if _, err := hw.app.Do(context.Background(), req, &items); err != nil {
				t.Fatal(err)
			}
			var got []int
			for _, d := range items {
				got = append(got, d.GetStatusCode())
			}
			if len(got) != len(tt.want) {
				t.Fatalf("status codes = %v, want %v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("status codes = %v, want %v", got, tt.want)
				}
			}
		})
	}
}

func TestRedeliveryResendsTheSameGUID(t *testing.T) {
	hw := newHookWorld(t, http.StatusServiceUnavailable)
	failed := hw.deliver(t, "pull_request", "labeled")
	ctx := context.Background()

	_, _, err := hw.app.Apps.RedeliverHookDelivery(ctx, failed.ID)
	var accepted *github.AcceptedError
	if !errors.As(err, &accepted) {
		t.Fatalf("RedeliverHookDelivery: %v, want 202 Accepted", err)
	}
	if err := hw.fake.WaitDeliveries(ctx); err != nil {
		t.Fatal(err)
	}
	got := hw.rv.received()
	if len(got) != 2 || got[1].guid != failed.GUID || string(got[1].body) != string(got[0].body) || !got[1].signed {
		t.Fatalf("the app received %+v, want the same payload twice under GUID %s", got, failed.GUID)
	}
	all, _ := hw.listAll(t, 100)
	if len(all) != 2 || all[0].GetGUID() != failed.GUID || !all[0].GetRedelivery() || all[0].GetStatusCode() != 200 || all[0].GetID() == failed.ID {
		t.Errorf("after redelivery the list is %v, want a new 200 attempt with redelivery=true on top", all)
	}
}

func TestDeliveriesExpireAfterRetention(t *testing.T) {
	hw := newHookWorld(t)
	d := hw.deliver(t, "issues", "opened")
	hw.now.Advance(Retention + time.Minute)
	if all, _ := hw.listAll(t, 100); len(all) != 0 {
		t.Errorf("listed %d deliveries older than %v", len(all), Retention)
	}
	if _, _, err := hw.app.Apps.RedeliverHookDelivery(context.Background(), d.ID); statusOf(err) != 404 {
		t.Errorf("redeliver an expired delivery: %v, want 404", err)
	}
}

func TestDeliveryThatGetsNoAnswer(t *testing.T) {
	tests := []struct {
		name       string
		handler    http.HandlerFunc
		timeout    time.Duration
		wantStatus string
	}{
		{"connection refused", nil, 0, "failed to connect"},
		{"slower than GitHub waits", func(w http.ResponseWriter, r *http.Request) {
			// Reading the body lets net/http notice the client hanging up.
			_, _ = io.ReadAll(r.Body)
			<-r.Context().Done()
		}, 50 * time.Millisecond, "timed out"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			url := "http://127.0.0.1:1/hook"
			if tt.handler != nil {
				srv := httptest.NewServer(tt.handler)
				t.Cleanup(srv.Close)
				url = srv.URL
			}
			f := NewTest(t, Options{WebhookURL: url, WebhookTimeout: tt.timeout})
			d, err := f.Deliver(context.Background(), "ping", "", []byte(`{"zen":"Keep it logically awesome."}`))
			if err != nil {
				t.Fatal(err)
			}
			if d.StatusCode != 0 || d.Status != tt.wantStatus {
				t.Errorf("delivery = %d %q, want 0 %q", d.StatusCode, d.Status, tt.wantStatus)
			}
		})
	}
}
