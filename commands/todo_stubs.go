package commands

// TEMPORARY: placeholders so the tree builds while the handlers are written.
// Every function here must be replaced by a real implementation (and this
// file deleted) before the core issue is done.

import "context"

func notYet(c *call) (Reply, error) {
	return Reply{}, Errorf(EINTERNAL, "/%s is not implemented yet", c.cmd.Name)
}

func (h *Handler) checkin(ctx context.Context, c *call) (Reply, error) { return notYet(c) }

func (h *Handler) pause(ctx context.Context, c *call) (Reply, error) { return notYet(c) }

func (h *Handler) myData(ctx context.Context, c *call) (Reply, error) { return notYet(c) }

func (h *Handler) forgetMe(ctx context.Context, c *call) (Reply, error) { return notYet(c) }

func (h *Handler) staffChat(ctx context.Context, c *call) (Reply, error) { return notYet(c) }

func (h *Handler) createCollective(ctx context.Context, c *call) (Reply, error) { return notYet(c) }

func (h *Handler) collectives(ctx context.Context, c *call) (Reply, error) { return notYet(c) }

func (h *Handler) schedule(ctx context.Context, c *call) (Reply, error) { return notYet(c) }

func (h *Handler) overview(ctx context.Context, c *call) (Reply, error) { return notYet(c) }

func (h *Handler) export(ctx context.Context, c *call) (Reply, error) { return notYet(c) }

// Complete offers values for an autocompleted option (element, collectief,
// nummer) given what the user typed so far, at most 25 (Discord's limit).
func (h *Handler) Complete(ctx context.Context, req Request, option, partial string) []Choice {
	return nil
}
