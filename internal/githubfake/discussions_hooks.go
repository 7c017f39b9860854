package githubfake

import "github.com/overlaphq/overlap/internal/githubfake/webhook"

// Webhook describes the discussion for webhook.Build.Discussion and
// DiscussionComment, so a test sends the delivery GitHub would for the
// emulator's state (after a createDiscussion, an edit, a close, ...).
// Comments counts comments and replies, as GitHub's payload does.
func (d DiscussionInfo) Webhook() webhook.Discussion {
	return webhook.Discussion{
		Number: d.Number, DatabaseID: d.DatabaseID, NodeID: d.NodeID, Title: d.Title, Body: d.Body,
		Author: d.Author, Category: d.Category, CreatedAt: d.CreatedAt, UpdatedAt: d.UpdatedAt,
		Comments: len(d.Comments), Closed: d.Closed, StateReason: d.StateReason,
	}
}

// WebhookComment describes comment nodeID (a top-level comment or a
// reply, whose parent_id is its parent's database id) for
// webhook.Build.DiscussionComment. Take it before deleting the comment
// for a deleted delivery.
func (d DiscussionInfo) WebhookComment(nodeID string) (webhook.DiscussionComment, bool) {
	ids := map[string]int64{}
	for _, c := range d.Comments {
		ids[c.NodeID] = c.DatabaseID
	}
	for _, c := range d.Comments {
		if c.NodeID == nodeID {
			return webhook.DiscussionComment{
				DatabaseID: c.DatabaseID, NodeID: c.NodeID, Body: c.Body, Author: c.Author,
				ParentID: ids[c.ReplyTo], CreatedAt: c.CreatedAt, UpdatedAt: c.UpdatedAt,
			}, true
		}
	}
	return webhook.DiscussionComment{}, false
}
