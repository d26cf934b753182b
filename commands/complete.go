package commands

import (
	"context"
	"fmt"
	"strings"
)

// maxChoices is Discord's limit on autocomplete suggestions.
const maxChoices = 25

// choiceLen is Discord's limit on a choice's name and value, in characters.
const choiceLen = 100

// Complete offers values for an autocompleted option (element, collectief,
// nummer) given what the user typed so far, at most 25 (Discord's limit):
// names starting with the typed text first, then names containing it.
// Options this chat may not see get no suggestions.
func (h *Handler) Complete(ctx context.Context, req Request, option, partial string) []Choice {
	chat, err := h.Store.Chat(ctx, req.Chat)
	if err != nil {
		h.logger().Warn("autocomplete: chat lookup failed", "chat", req.Chat.String(), "err", err)
		return nil
	}
	if req.PrivateChat {
		if err := h.privateChat(ctx, chat, req.User); err != nil {
			h.logger().Warn("autocomplete: private chat lookup failed", "err", err)
			return nil
		}
	}
	l := h.chatLang(chat)
	var all []Choice
	switch {
	case option == optSliderElement.Name && chat.Kind == ChatCollective: // also optPanelElement
		elems, err := h.Store.Panel(ctx, chat.CollectiveID)
		if err != nil {
			h.logger().Warn("autocomplete: panel failed", "err", err)
			return nil
		}
		for _, e := range elems {
			label := e.Name
			if e.IsSet {
				label = fmt.Sprintf("%s (%d)", e.Name, e.Value)
			}
			all = append(all, Choice{Name: label, Value: e.Name})
		}
		return filterChoices(all, partial, func(ch Choice) string { return ch.Value })
	case option == optSchedColl.Name && chat.Kind == ChatStaff: // also optExportColl
		return h.collectiveChoices(ctx, partial, 0)
	case option == optSparColl.Name && chat.Kind == ChatCollective:
		// /contact: the other collectives, never this chat's own (which
		// it cannot invite).
		return h.collectiveChoices(ctx, partial, chat.CollectiveID)
	case option == optChat.Name && chat.Kind == ChatStaff:
		chats, names, err := h.linkedChats(ctx)
		if err != nil {
			h.logger().Warn("autocomplete: linked chats failed", "err", err)
			return nil
		}
		for _, ch := range chats {
			all = append(all, Choice{Name: chatName(ch) + " (" + names[ch.CollectiveID] + ")", Value: chatKey(ch)})
		}
		return filterChoices(all, partial, func(ch Choice) string { return ch.Name })
	case option == optExpertName.Name && chat.Kind == ChatStaff:
		list, err := h.Store.Experts(ctx)
		if err != nil {
			h.logger().Warn("autocomplete: experts failed", "err", err)
			return nil
		}
		for i := range list {
			e := &list[i]
			all = append(all, Choice{Name: fmt.Sprintf("%s (%s)", e.Name, strings.Join(e.Expertises, ", ")), Value: e.Name})
		}
		return filterChoices(all, partial, func(ch Choice) string { return ch.Value })
	case option == optRequestNr.Name && chat.Kind == ChatExpert:
		// An expert is offered only their own requests.
		offers, err := h.Store.ExpertOffers(ctx, chat.ExpertID)
		if err != nil {
			h.logger().Warn("autocomplete: expert offers failed", "err", err)
			return nil
		}
		for _, o := range offers {
			r := &o.Request
			if r.Status == StatusResolved {
				continue
			}
			label := fmt.Sprintf("%s %s: %s", ref(r.Number), r.CollectiveName, strings.Join(strings.Fields(r.Question), " "))
			all = append(all, Choice{Name: label, Value: fmt.Sprint(r.Number)})
		}
		return filterChoices(all, strings.TrimPrefix(strings.TrimSpace(partial), "#"), func(ch Choice) string { return ch.Value + " " + ch.Name })
	case option == optRequestNr.Name && chat.Kind == ChatStaff:
		open, err := h.Store.OpenRequests(ctx)
		if err != nil {
			h.logger().Warn("autocomplete: open requests failed", "err", err)
			return nil
		}
		for i := range open {
			r := &open[i]
			label := fmt.Sprintf("%s %s · %s: %s", ref(r.Number), r.CollectiveName, statusText(l, r), strings.Join(strings.Fields(r.Question), " "))
			all = append(all, Choice{Name: label, Value: fmt.Sprint(r.Number)})
		}
		// Staff type either the number or words of the label.
		return filterChoices(all, strings.TrimPrefix(strings.TrimSpace(partial), "#"), func(ch Choice) string { return ch.Value + " " + ch.Name })
	}
	return nil
}

// collectiveChoices offers collective names for what was typed: those that
// start with it, then those with a later word that starts with it, then
// those containing it elsewhere ("bedrijf" for "Bewonersbedrijf Noord"),
// from the store's CollectiveNames, which reads its indexes instead of
// every collective as filterChoices would. except (0 for none) is left out.
func (h *Handler) collectiveChoices(ctx context.Context, partial string, except int64) []Choice {
	names, err := h.Store.CollectiveNames(ctx, partial, except, maxChoices)
	if err != nil {
		h.logger().Warn("autocomplete: collective names failed", "err", err)
		return nil
	}
	out := make([]Choice, 0, len(names))
	for _, n := range names {
		// A value longer than Discord's 100 characters is refused there;
		// collective names are at most 100 (optCollective's MaxLen).
		out = append(out, Choice{Name: clip(n, choiceLen), Value: n})
	}
	return out
}

// filterChoices keeps the choices whose key starts with partial, then those
// containing it (compared by NormalizeName), clipped to Discord's limits.
func filterChoices(all []Choice, partial string, key func(Choice) string) []Choice {
	p := NormalizeName(partial)
	var first, second []Choice
	for _, ch := range all {
		k := NormalizeName(key(ch))
		switch {
		case strings.HasPrefix(k, p):
			first = append(first, ch)
		case strings.Contains(k, p):
			second = append(second, ch)
		}
	}
	out := append(first, second...)
	if len(out) > maxChoices {
		out = out[:maxChoices]
	}
	for i := range out {
		out[i].Name = clip(out[i].Name, choiceLen)
	}
	return out
}
