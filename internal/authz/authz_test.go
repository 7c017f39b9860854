package authz

import (
	"fmt"
	"strings"
	"testing"
)

func grant(permission, role string) Grant { return Grant{Permission: permission, RoleName: role} }

func withFlags(g Grant, f Flags) Grant {
	g.User = &struct {
		Permissions *Flags `json:"permissions"`
	}{Permissions: &f}
	return g
}

// persona is one kind of person who can comment on a PR or press a button,
// with the grant GitHub reports for them.
type persona struct {
	name   string
	actor  Actor
	grant  Grant
	author bool // opened the PR the action is on
}

var personas = []persona{
	{name: "PR author with write", actor: Actor{Login: "alice", Type: "User"}, grant: grant("write", "write"), author: true},
	{name: "writer", actor: Actor{Login: "carol", Type: "User"}, grant: grant("write", "write")},
	{name: "triager", actor: Actor{Login: "tess", Type: "User"}, grant: grant("read", "triage")},
	{name: "maintainer", actor: Actor{Login: "mia", Type: "User"}, grant: grant("write", "maintain")},
	{name: "PR author with maintain", actor: Actor{Login: "mia", Type: "User"}, grant: grant("write", "maintain"), author: true},
	{name: "admin", actor: Actor{Login: "dave", Type: "User"}, grant: grant("admin", "admin")},
	{name: "PR author with admin", actor: Actor{Login: "dave", Type: "User"}, grant: grant("admin", "admin"), author: true},
	{name: "custom role based on write", actor: Actor{Login: "sec", Type: "User"}, grant: grant("write", "security-reviewer")},
	{name: "custom role based on triage (flags)", actor: Actor{Login: "sup", Type: "User"}, grant: withFlags(grant("read", "support"), Flags{Triage: true, Pull: true})},
	{name: "outside collaborator (read)", actor: Actor{Login: "rita", Type: "User"}, grant: grant("read", "read")},
	{name: "fork PR author (none)", actor: Actor{Login: "forker", Type: "User"}, grant: grant("none", ""), author: true},
	{name: "stranger GitHub does not know (404)", actor: Actor{Login: "nobody", Type: "User"}, grant: Grant{Permission: "none"}},
	{name: "bot with admin", actor: Actor{Login: "deploy-bot[bot]", Type: "Bot"}, grant: grant("admin", "admin")},
	{name: "Overlap itself", actor: Actor{Login: "overlap[bot]"}, grant: grant("write", "write")},
	{name: "ghost (deleted user)", actor: Actor{Login: "ghost", Type: "User"}, grant: grant("admin", "admin")},
}

// TestWhoMayDoWhat is the authorization table: every persona against
// every action. "self" rows ask about the persona themselves, "other" rows
// about someone else.
func TestWhoMayDoWhat(t *testing.T) {
	const y, n = true, false
	want := map[string]map[string]bool{
		//                                          skip unskip reviewed opt-out(self) opt-out(other) meetings weekly
		"PR author with write":                row(n, y, y, y, n, y, y),
		"writer":                              row(y, y, y, y, n, y, y),
		"triager":                             row(n, n, n, y, n, y, y),
		"maintainer":                          row(y, y, y, y, n, y, y),
		"PR author with maintain":             row(y, y, y, y, n, y, y),
		"admin":                               row(y, y, y, y, n, y, y),
		"PR author with admin":                row(y, y, y, y, n, y, y),
		"custom role based on write":          row(y, y, y, y, n, y, y),
		"custom role based on triage (flags)": row(n, n, n, y, n, y, y),
		"outside collaborator (read)":         row(n, n, n, y, n, n, n),
		"fork PR author (none)":               row(n, n, n, y, n, n, n),
		"stranger GitHub does not know (404)": row(n, n, n, y, n, n, n),
		"bot with admin":                      row(n, n, n, n, n, n, n),
		"Overlap itself":                      row(n, n, n, n, n, n, n),
		"ghost (deleted user)":                row(n, n, n, n, n, n, n),
	}
	for _, p := range personas {
		cols, ok := want[p.name]
		if !ok {
			t.Fatalf("no expectations for %q", p.name)
		}
		author := "someone-else"
		if p.author {
			author = p.actor.Login
		}
		for col, req := range map[string]Request{
			"skip":           {Action: ADRSkip, Author: author},
			"unskip":         {Action: ADRUnskip, Author: author},
			"reviewed":       {Action: DocsReviewed},
			"opt-out(self)":  {Action: FeedbackOptOut, Subject: p.actor.Login},
			"opt-out(other)": {Action: FeedbackOptOut, Subject: "someone-else"},
			"meetings":       {Action: MeetingsManage},
			"weekly":         {Action: WeeklyManage},
		} {
			req.Actor = p.actor
			got := Decide(req, p.grant)
			if got.Allowed != cols[col] {
				t.Errorf("%s / %s: allowed = %v (%s, role %s), want %v", p.name, col, got.Allowed, got.Reason, got.Role, cols[col])
			}
		}
	}
}

func row(skip, unskip, reviewed, optSelf, optOther, meetings, weekly bool) map[string]bool {
	return map[string]bool{"skip": skip, "unskip": unskip, "reviewed": reviewed, "opt-out(self)": optSelf,
		"opt-out(other)": optOther, "meetings": meetings, "weekly": weekly}
}

func TestEveryActionHasARule(t *testing.T) {
	for _, a := range []Action{ADRSkip, ADRUnskip, DocsReviewed, FeedbackOptOut, MeetingsManage, WeeklyManage} {
		if _, ok := Rules()[a]; !ok {
			t.Errorf("action %s has no rule", a)
		}
	}
	if d := Decide(Request{Action: "adr.new", Actor: Actor{Login: "dave"}}, grant("admin", "admin")); d.Allowed || !d.Silent() {
		t.Errorf("an action without a rule must be refused for everyone, got %+v", d)
	}
}

func TestRefusalReasonsTellTheCallerWhatToSay(t *testing.T) {
	tests := []struct {
		name string
		req  Request
		g    Grant
		want Reason
		need Role
	}{
		{"writer on own PR", Request{Action: ADRSkip, Actor: Actor{Login: "Alice"}, Author: "alice"}, grant("write", "write"), DeniedOwnPR, RoleMaintain},
		{"triager", Request{Action: ADRSkip, Actor: Actor{Login: "tess"}, Author: "alice"}, grant("read", "triage"), DeniedRole, RoleWrite},
		{"reader on own PR is told about write first", Request{Action: ADRSkip, Actor: Actor{Login: "rita"}, Author: "rita"}, grant("read", "read"), DeniedRole, RoleWrite},
		{"bot", Request{Action: ADRSkip, Actor: Actor{Login: "x", Type: "Bot"}}, grant("admin", "admin"), DeniedBot, RoleNone},
		{"no login", Request{Action: DocsReviewed}, grant("admin", "admin"), DeniedGhost, RoleNone},
		{"opting out someone else", Request{Action: FeedbackOptOut, Actor: Actor{Login: "dave"}, Subject: "bob"}, grant("admin", "admin"), DeniedNotSelf, RoleNone},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Decide(tt.req, tt.g)
			if d.Allowed || d.Reason != tt.want || d.Need != tt.need {
				t.Errorf("got %+v, want refused for %s needing %s", d, tt.want, tt.need)
			}
			if silent := tt.want == DeniedBot || tt.want == DeniedGhost; d.Silent() != silent {
				t.Errorf("Silent() = %v, want %v", d.Silent(), silent)
			}
		})
	}
}

func TestVouchedDocOwnerNeedsNoRoleButABotStillCannot(t *testing.T) {
	owner := Request{Action: DocsReviewed, Actor: Actor{Login: "olga"}, Vouched: true}
	if NeedsGrant(owner) {
		t.Error("a vouched request should not cost a permission read")
	}
	if d := Decide(owner, Grant{}); !d.Allowed {
		t.Errorf("doc owner refused: %+v", d)
	}
	owner.Actor.Type = "Bot"
	if d := Decide(owner, Grant{}); d.Allowed {
		t.Errorf("a bot owner must not record reviews: %+v", d)
	}
	skip := Request{Action: ADRSkip, Actor: Actor{Login: "olga"}, Vouched: true}
	if d := Decide(skip, grant("read", "read")); d.Allowed {
		t.Errorf("vouching must not open an action that is not vouchable: %+v", d)
	}
}

func TestRoleOf(t *testing.T) {
	tests := []struct {
		g    Grant
		want Role
	}{
		{grant("admin", "admin"), RoleAdmin},
		{grant("write", "maintain"), RoleMaintain},
		{grant("write", "write"), RoleWrite},
		{grant("read", "triage"), RoleTriage},
		{grant("read", "read"), RoleRead},
		{grant("none", "none"), RoleNone},
		{grant("none", ""), RoleNone},
		// Without role_name (older GitHub Enterprise Server): the legacy
		// permission, never rounded up.
		{grant("write", ""), RoleWrite},
		{grant("read", ""), RoleRead},
		{grant("admin", ""), RoleAdmin},
		// Custom roles: their flags, else what the permission guarantees.
		{grant("write", "release-manager"), RoleWrite},
		{withFlags(grant("write", "release-manager"), Flags{Maintain: true, Push: true, Triage: true, Pull: true}), RoleMaintain},
		{withFlags(grant("read", "support"), Flags{Triage: true, Pull: true}), RoleTriage},
		// Fields that disagree: the lower wins.
		{grant("read", "admin"), RoleTriage},
		{grant("none", "write"), RoleNone},
		{withFlags(grant("read", "odd"), Flags{Admin: true}), RoleTriage},
		{Grant{}, RoleNone},
		{grant("WRITE", "Maintain"), RoleMaintain},
	}
	for _, tt := range tests {
		name := fmt.Sprintf("%s/%s", tt.g.Permission, tt.g.RoleName)
		if tt.g.User != nil {
			name += "+flags"
		}
		if got := RoleOf(tt.g); got != tt.want {
			t.Errorf("RoleOf(%s) = %s, want %s", name, got, tt.want)
		}
	}
}

func TestBotsAreRecognisedByTypeOrLogin(t *testing.T) {
	for _, a := range []Actor{{Login: "overlap[bot]"}, {Login: "Dependabot[BOT]"}, {Login: "ci", Type: "Bot"}, {Login: "ci", Type: "bot"}} {
		if !a.IsBot() {
			t.Errorf("%+v should be a bot", a)
		}
	}
	for _, a := range []Actor{{Login: "robot", Type: "User"}, {Login: "bot", Type: "User"}, {Login: "acme", Type: "Organization"}} {
		if a.IsBot() {
			t.Errorf("%+v is not a bot", a)
		}
	}
	if !IsGhost("Ghost") || !IsGhost("") || IsGhost("ghostwriter") {
		t.Error("IsGhost: only the deleted-user placeholder and an empty login")
	}
	if s := RoleAdmin.String() + Role(9).String(); !strings.Contains(s, "admin") || !strings.Contains(s, "Role(9)") {
		t.Errorf("Role.String: %q", s)
	}
}
