package docs

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/google/go-github/v60/github"

	"github.com/overlaphq/overlap/handlers"
	"github.com/overlaphq/overlap/internal/gh"
	"github.com/overlaphq/overlap/internal/roster"
)

// handleComment records `/reviewed` commands written on the tracking
// issue: the doc's owner (a login, or a member of the owning team), the
// person on duty this week and anyone with write access may record a
// review. Recorded reviews go into the issue's data block and the body is
// re-rendered at once; refused ones get one reply (keyed by the comment,
// so a redelivery does not repeat it).
func (f *Feature) handleComment(ctx context.Context, env *handlers.Env, ev *handlers.Event) error {
	if ev.Action != "created" || ev.SenderType == "Bot" {
		return nil
	}
	var e github.IssueCommentEvent
	if err := json.Unmarshal(ev.Payload, &e); err != nil {
		return fmt.Errorf("parse issue_comment payload: %w", err)
	}
	is := e.GetIssue()
	if is.IsPullRequest() || !gh.HasMarker(is.GetBody(), MarkerTracking) {
		return nil
	}
	body := e.GetComment().GetBody()
	if targets, err := ParseReviewedCommandsContext(ctx, body); err != nil || len(targets) == 0 {
		return err
	}
	pol, on, err := policy(ctx, env)
	if err != nil || !on {
		return err
	}
	// Find the app's own tracking issue (marker and author checked by the
	// write path): the payload's copy may be someone's look-alike, or
	// predate another command handled a moment ago.
	cur, err := env.GH.FindIssue(ctx, env.Repo, MarkerTracking, LabelStale)
	if err != nil {
		return err
	}
	if cur.GetNumber() != is.GetNumber() {
		return nil
	}
	ex, data, damaged := trackingState(env, cur)
	if damaged != nil {
		// Start the block over (its reviews are re-derived from the
		// comments below), say so once, and record this review too.
		if data, err = repairData(ctx, env, cur, damaged); err != nil {
			return err
		}
	}

	s := SettingsFrom(pol.Docs)
	slot := ScheduleFrom(pol).LastSlot(env.Now)
	away, _, err := f.duty(ctx, env, pol, &s, slot)
	if err != nil {
		return err
	}
	branch := defaultBranch(env.Repo, env)
	head, err := headOf(ctx, env, branch)
	if err != nil {
		return err
	}
	snap, err := f.fetchDocs(ctx, env, s, head)
	if err != nil {
		return err
	}
	author := e.GetComment().GetUser().GetLogin()
	writer, err := isWriter(ctx, env, author)
	if err != nil {
		return err
	}
	onDuty, _ := Duty(s.Duty.Rotation, s.Duty.Starts, s.Duty.Every, slot, away)
	res := ApplyReviewed(ReviewedInput{
		Comment: body, Author: author, Now: env.Now.In(pol.Team.Timezone.Location()),
		Docs: snap.Docs, Data: data, IsWriter: writer,
		IsDuty:  onDuty != "" && strings.EqualFold(onDuty, author),
		IsOwner: ownerTest(ctx, env, author),
	})
	if res.Reply != "" {
		if _, err := env.GH.UpsertComment(ctx, env.Repo, is.GetNumber(), replyMarker(e.GetComment().GetID()), res.Reply); err != nil {
			return err
		}
	}
	if !res.Changed && damaged == nil {
		return nil
	}
	return f.refresh(ctx, env, refreshInput{
		policy: pol, found: cur, existing: ex, data: res.Data, head: head, branch: branch, slot: slot,
		closeOK: true, save: true, snap: &snap, settings: &s, away: away, rederive: damaged != nil,
	})
}

func replyMarker(commentID int64) string {
	return gh.Marker(FeatureName, "reply", strconv.FormatInt(commentID, 10))
}

// ownerTest reports whether author owns a doc: the owner login itself, or
// a member of the owning team (one call per team, asked only when a
// team-owned doc is named).
func ownerTest(ctx context.Context, env *handlers.Env, author string) func(Doc) bool {
	dir := roster.NewDirectory(env.REST, env.GraphQL) // lists each team once
	return func(d Doc) bool {
		if d.Owner == "" {
			return false
		}
		org, slug, isTeam := strings.Cut(d.Owner, "/")
		if !isTeam {
			return strings.EqualFold(d.Owner, author)
		}
		list, err := dir.TeamMembers(ctx, org, slug)
		if err != nil {
			return false // unknown: not an owner; a writer may still record it
		}
		for _, m := range list {
			if strings.EqualFold(m, author) {
				return true
			}
		}
		return false
	}
}
