package docs

import (
	"encoding/json"
	"maps"
)

// MergeData combines the data block a handler is about to write (ours)
// with the one the tracking issue carries now (theirs), read again right
// before the write.
//
// Several processes write the tracking issue: a `/reviewed` command on a
// webhook replica and a sweep in the CronJob may both read the block, spend
// seconds fetching, then write the whole body back. Without a merge the
// later write erases the review the earlier one recorded (and announced).
// Reviews only ever move forward, so the merge keeps, per doc, the later
// review (ours on a tie). The cache hints (Head, Pending) are ours, since
// the body is rendered from them; Slot is the later of the two, so a full
// refresh another process already made is not repeated. Keys this version
// does not know are kept from both, ours first.
func MergeData(ours, theirs Data) Data {
	out := ours.clone()
	for p, r := range theirs.Reviewed {
		if have, ok := out.Reviewed[p]; !ok || have.On.Before(r.On) {
			out.Reviewed[p] = r
		}
	}
	if out.Slot.Before(theirs.Slot) {
		out.Slot = theirs.Slot
	}
	if len(theirs.other) > 0 {
		other := make(map[string]json.RawMessage, len(ours.other)+len(theirs.other))
		maps.Copy(other, theirs.other)
		maps.Copy(other, ours.other)
		out.other = other
	}
	return out
}
