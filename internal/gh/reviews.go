package gh

import "strings"

// IsOwnLogin reports whether login is the app's own, as REST ("slug[bot]")
// or GraphQL ("slug", bots drop the suffix there) writes it. Features that
// read the app's comments through GraphQL use it to ignore a person who
// pasted a marker. Without a configured BotLogin every login counts.
func (c *Client) IsOwnLogin(login string) bool {
	if c.opts.BotLogin == "" {
		return true
	}
	return strings.EqualFold(login, c.opts.BotLogin) ||
		strings.EqualFold(login+"[bot]", c.opts.BotLogin)
}
