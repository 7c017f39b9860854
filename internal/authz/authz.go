// Package authz is the one permission check for everything a person can
// make Overlap do (DESIGN principle 9; issue 8, "Authorization in one
// place"): `/adr skip`, the Decision record check's button, `/reviewed` on
// the docs tracking issue, a person opting themselves out of feedback
// nudges, and the meeting and weekly-update commands still to be built.
//
// The decision is pure: [Decide] takes a [Request] (who asks for which
// [Action], on whose pull request) and the [Grant] GitHub reported for the
// asker, and consults the fixed [Rules] table. [Checker] is the I/O edge:
// it reads the grant from GET /repos/{owner}/{repo}/collaborators/{user}/permission
// at most once per person for the event it was made for, and fails closed
// (no action, the error returned so the job is retried) when GitHub does
// not answer.
//
// Rules that hold for every action, whatever the table says:
//
//   - A bot never triggers anything: an account of type "Bot" or a login
//     ending in "[bot]" (Overlap itself included; its own comments quote
//     commands) is ignored without a permission read and without a reply.
//   - A deleted account ("ghost", GitHub's placeholder for deleted users,
//     or no login at all) is ignored the same way: nobody can answer for it.
//   - A person GitHub does not know in the repository (404) has no role.
//   - When the roles GitHub reports disagree, the lower one counts.
package authz

import (
	"fmt"
	"strings"
)

// Role is a person's effective role on one repository, ordered: each role
// can do everything the roles below it can.
type Role int

// Roles, lowest first: GitHub's base repository roles.
const (
	RoleNone Role = iota
	RoleRead
	RoleTriage
	RoleWrite
	RoleMaintain
	RoleAdmin
)

var roleNames = [...]string{"none", "read", "triage", "write", "maintain", "admin"}

func (r Role) String() string {
	if r < RoleNone || r > RoleAdmin {
		return fmt.Sprintf("Role(%d)", int(r))
	}
	return roleNames[r]
}

// Action is something a person can make Overlap do.
type Action string

// The actions. Add one here and a row to rules before building a command.
const (
	// ADRSkip waives the Decision record check on a PR (`/adr skip
	// <reason>` or the check's "Skip: not a decision" button).
	ADRSkip Action = "adr.skip"
	// ADRUnskip takes a skip back, for an explicit `/adr unskip`. Today a
	// skip is taken back by editing or deleting its command comment, which
	// GitHub already restricts to the comment's author and people with
	// write access, and which only makes the check stricter, so those
	// paths need no check.
	ADRUnskip Action = "adr.unskip"
	// DocsReviewed records a review of a doc (`/reviewed` on the docs
	// tracking issue). The doc's owner and the person on documentation
	// duty may also record it: the caller vouches for that (Request.Vouched).
	DocsReviewed Action = "docs.reviewed"
	// FeedbackOptOut turns feedback nudges off (or back on) for the person
	// asking: `/overlap feedback off`. Anyone, for themselves only.
	FeedbackOptOut Action = "feedback.opt-out"
	// MeetingsManage is the meeting thread's commands (note-taker, notes
	// published, rotation): issue and discussion upkeep, which GitHub's
	// triage role exists for.
	MeetingsManage Action = "meetings.manage"
	// WeeklyManage is the weekly update thread's commands (close early,
	// summarize now): the same kind of upkeep as MeetingsManage.
	WeeklyManage Action = "weekly.manage"
)

// Rule says who may take one action.
type Rule struct {
	// Min is the least role that may take the action.
	Min Role
	// AuthorMin, when above Min, is the least role the author of the pull
	// request the action is on needs: waiving a check on one's own PR is a
	// self-approval, so a plain writer must ask someone else.
	AuthorMin Role
	// SelfOnly actions affect only the person named in Request.Subject,
	// and only that person may take them, whatever their role (no
	// permission read is needed).
	SelfOnly bool
	// Vouchable actions are also allowed when the caller vouches for a
	// relation the feature defines (Request.Vouched: the doc's owner, the
	// person on duty), whatever the role.
	Vouchable bool
}

// rules is the table of who may do what. It is never modified.
var rules = map[Action]Rule{
	ADRSkip:        {Min: RoleWrite, AuthorMin: RoleMaintain},
	ADRUnskip:      {Min: RoleWrite},
	DocsReviewed:   {Min: RoleWrite, Vouchable: true},
	FeedbackOptOut: {SelfOnly: true},
	MeetingsManage: {Min: RoleTriage},
	WeeklyManage:   {Min: RoleTriage},
}

// Rules returns a copy of the table (for documentation and tests).
func Rules() map[Action]Rule {
	out := make(map[Action]Rule, len(rules))
	for a, r := range rules {
		out[a] = r
	}
	return out
}

// Actor is the account that asked: the commenter, the button's clicker.
type Actor struct {
	Login string
	// Type is GitHub's account type ("User", "Bot", "Organization"), from
	// the payload's user or sender object.
	Type string
}

// IsBot reports whether the account is an app or another bot.
func (a Actor) IsBot() bool {
	return strings.EqualFold(a.Type, "Bot") || strings.HasSuffix(strings.ToLower(a.Login), "[bot]")
}

// IsGhost reports whether the account is gone: GitHub shows the comments
// of a deleted account as written by "ghost", and some payloads carry no
// user at all.
func IsGhost(login string) bool {
	return login == "" || strings.EqualFold(login, "ghost")
}

// Request is one attempt to take an action.
type Request struct {
	Action Action
	Actor  Actor
	// Author is the author of the pull request or issue the action is on,
	// "" when none (a tracking issue opened by Overlap).
	Author string
	// Subject is the person a SelfOnly action is about.
	Subject string
	// Vouched says the caller established a relation a Vouchable rule
	// accepts (e.g. the actor owns the doc being marked reviewed).
	Vouched bool
}

// Reason says why a request was decided as it was.
type Reason string

// Reasons.
const (
	Allowed       Reason = "allowed"
	DeniedBot     Reason = "bot"         // bots never trigger actions
	DeniedGhost   Reason = "ghost"       // a deleted account
	DeniedUnknown Reason = "unknown"     // an action with no rule: nobody
	DeniedNotSelf Reason = "not-self"    // a self-only action about someone else
	DeniedRole    Reason = "role"        // the actor's role is below the rule's
	DeniedOwnPR   Reason = "own-pr"      // the PR's author lacks AuthorMin
	DeniedFailure Reason = "unavailable" // GitHub did not answer: fail closed
)

// Decision is the answer to a Request.
type Decision struct {
	Allowed bool
	Reason  Reason
	// Role is the actor's role as decided from the grant (RoleNone when no
	// grant was needed or read).
	Role Role
	// Need is the least role that would have been allowed.
	Need Role
}

// Silent reports whether a refusal should go unanswered: a bot or a
// deleted account gets no reply (a reply to a bot invites a loop).
func (d Decision) Silent() bool {
	return !d.Allowed && (d.Reason == DeniedBot || d.Reason == DeniedGhost || d.Reason == DeniedUnknown)
}

// NeedsGrant reports whether deciding req needs the actor's grant: not for
// bots, deleted accounts, unknown actions, self-only actions, or vouched
// ones. Checker uses it to spend the permission read only when it matters.
func NeedsGrant(req Request) bool {
	rule, ok := rules[req.Action]
	switch {
	case !ok, req.Actor.IsBot(), IsGhost(req.Actor.Login), rule.SelfOnly:
		return false
	case rule.Vouchable && req.Vouched:
		return false
	}
	return true
}

// Decide answers req from the actor's grant (ignored when NeedsGrant says
// it is not needed). It performs no I/O.
func Decide(req Request, g Grant) Decision {
	rule, ok := rules[req.Action]
	switch {
	case req.Actor.IsBot():
		return Decision{Reason: DeniedBot}
	case IsGhost(req.Actor.Login):
		return Decision{Reason: DeniedGhost}
	case !ok:
		return Decision{Reason: DeniedUnknown}
	case rule.SelfOnly:
		if IsGhost(req.Subject) || !strings.EqualFold(req.Subject, req.Actor.Login) {
			return Decision{Reason: DeniedNotSelf}
		}
		return Decision{Allowed: true, Reason: Allowed}
	case rule.Vouchable && req.Vouched:
		return Decision{Allowed: true, Reason: Allowed}
	}
	role := RoleOf(g)
	if role < rule.Min {
		return Decision{Reason: DeniedRole, Role: role, Need: rule.Min}
	}
	own := req.Author != "" && strings.EqualFold(req.Author, req.Actor.Login)
	if own && role < rule.AuthorMin {
		return Decision{Reason: DeniedOwnPR, Role: role, Need: rule.AuthorMin}
	}
	return Decision{Allowed: true, Reason: Allowed, Role: role, Need: rule.Min}
}
