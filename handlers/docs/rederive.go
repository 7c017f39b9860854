package docs

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/go-github/v60/github"

	"github.com/overlaphq/overlap/config"
	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/internal/gh"
)

// ReviewComment is a comment on the tracking issue, as the re-derivation
// of recorded reviews reads it.
type ReviewComment struct {
	ID     int64
	Author string
	Body   string
	At     time.Time // when it was written; the review counts on its date
}

// UnreflectedTargets returns the `/reviewed` targets of c that the data
// block does not reflect: a named tracked doc whose recorded review is
// older than the comment's date (in loc), or `all` when no doc carries a
// review by the author on or after that date. Targets the app refused
// (refused, read from its reply) stay refused, and paths that are not
// tracked docs are left out, so none of them costs a permission call.
//
// GitHub has no conditional issue edit: a write landing between the
// sweep's second read and its own write can still erase a review from the
// data block. The comments are GitHub's own record of the commands, so the
// sweep re-applies the ones missing from the block.
func UnreflectedTargets(c ReviewComment, refused map[string]bool, docs []Doc, data Data, loc *time.Location) []string {
	day := DateOf(c.At.In(loc))
	tracked := make(map[string]bool, len(docs))
	for _, d := range docs {
		tracked[d.Path] = true
	}
	var out []string
	for _, t := range ParseReviewedCommands(c.Body) {
		if refused[t] {
			continue
		}
		if t == All {
			reflected := false
			for p, r := range data.Reviewed {
				if tracked[p] && strings.EqualFold(r.By, c.Author) && !r.On.Before(day) {
					reflected = true
					break
				}
			}
			if !reflected && len(docs) > 0 {
				out = append(out, t)
			}
			continue
		}
		if !tracked[t] {
			continue
		}
		if r, ok := data.Reviewed[t]; ok && !r.On.Before(day) {
			continue
		}
		out = append(out, t)
	}
	return out
}

// RefusedTargets reads the targets listed in the app's refusal reply to a
// `/reviewed` comment ("- `target`: reason" lines).
func RefusedTargets(reply string) map[string]bool {
	out := map[string]bool{}
	for _, l := range strings.Split(reply, "\n") {
		rest, ok := strings.CutPrefix(strings.TrimSpace(l), "- `")
		if !ok {
			continue
		}
		if t, _, ok := strings.Cut(rest, "`"); ok {
			out[t] = true
		}
	}
	return out
}

// rederiveReviews lists the tracking issue's comments (one call, shared
// with the rest of the event or sweep) and re-applies every authorised
// `/reviewed` command the data block does not reflect. Authorisation costs
// a permission call per author of such a command, so the steady state
// (every command reflected) costs none.
func rederiveReviews(ctx context.Context, env *handlers.Env, number int, pol config.Policy, s Settings, away func(string) bool, docs []Doc, data Data) (Data, bool, error) {
	all, err := env.GH.ListComments(ctx, env.Repo, number)
	if err != nil {
		return data, false, fmt.Errorf("list tracking issue comments: %w", err)
	}
	var bots, cands []*github.IssueComment
	for _, c := range all {
		if c.GetUser().GetType() == "Bot" {
			bots = append(bots, c)
			continue
		}
		cands = append(cands, c)
	}
	loc := pol.Team.Timezone.Location()
	sched := ScheduleFrom(pol)
	writers := map[string]bool{}
	var isOwner map[string]func(Doc) bool
	changed := false
	for _, c := range cands {
		rc := ReviewComment{ID: c.GetID(), Author: c.GetUser().GetLogin(), Body: c.GetBody(), At: c.GetCreatedAt().Time}
		if rc.Author == "" || len(ParseReviewedCommands(rc.Body)) == 0 {
			continue
		}
		refused := map[string]bool{}
		marker := replyMarker(rc.ID)
		for _, b := range bots {
			if gh.HasMarker(b.GetBody(), marker) {
				refused = RefusedTargets(b.GetBody())
			}
		}
		targets := UnreflectedTargets(rc, refused, docs, data, loc)
		if len(targets) == 0 {
			continue
		}
		key := strings.ToLower(rc.Author)
		writer, ok := writers[key]
		if !ok {
			if writer, err = isWriter(ctx, env, rc.Author); err != nil {
				return data, false, err
			}
			writers[key] = writer
		}
		if isOwner == nil {
			isOwner = map[string]func(Doc) bool{}
		}
		if isOwner[key] == nil {
			isOwner[key] = ownerTest(ctx, env, rc.Author)
		}
		onDuty, _ := Duty(s.Duty.Rotation, s.Duty.Starts, s.Duty.Every, sched.LastSlot(rc.At), away)
		res := ApplyReviewed(ReviewedInput{
			Comment: "/reviewed " + strings.Join(targets, " "), Author: rc.Author, Now: rc.At.In(loc),
			Docs: docs, Data: data, IsWriter: writer,
			IsDuty:  onDuty != "" && strings.EqualFold(onDuty, rc.Author),
			IsOwner: isOwner[key],
		})
		if res.Changed {
			data, changed = res.Data, true
		}
	}
	return data, changed, nil
}
