package docs

import (
	"fmt"

	"github.com/overlaphq/overlap/internal/mdtext"
)

// MarkerDamaged marks the one comment that says the tracking issue's data
// block was damaged and rebuilt.
const MarkerDamaged = "<!-- overlap:docs:damaged -->"

// DamagedNote is the comment posted (once, under MarkerDamaged) when the
// data block did not verify and was rebuilt. Nothing of a block that does
// not verify is kept (anyone who can edit the issue can write one), so
// the reviews are re-derived from the issue's `/reviewed` comments, which
// GitHub keeps with their authors. It names nobody: a sweep may run at any
// hour.
func DamagedNote(cause error) string {
	return fmt.Sprintf("The hidden data block of this issue (its last line, `<!-- overlap-state:docs … -->`) was edited, or signed with a secret "+
		"the app no longer uses, and could not be verified (%s). I rebuilt it from the `/reviewed` comments on this issue; "+
		"a review recorded with a comment that has since been deleted can be recorded again with `/reviewed <path>`.",
		mdtext.Text(cause.Error()))
}
