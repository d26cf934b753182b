package discordtest

import (
	"encoding/json"
	"net/http"
	"time"
)

// ScheduledEvent is a guild scheduled event the bot created.
type ScheduledEvent struct {
	ID, GuildID, Name, Location string
	Start, End                  time.Time
	EntityType, PrivacyLevel    int
}

// DenyEvents makes event creation fail as it does for a bot without the
// Manage Events permission: 403, code 50013.
func (s *Server) DenyEvents() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.denyEvents = true
}

// Events returns the scheduled events created so far.
func (s *Server) Events() []ScheduledEvent {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ScheduledEvent(nil), s.events...)
}

// createEvent is POST /guilds/{guild_id}/scheduled-events.
func (s *Server) createEvent(w http.ResponseWriter, r *http.Request, guild string) {
	var body struct {
		Name           string    `json:"name"`
		Start          time.Time `json:"scheduled_start_time"`
		End            time.Time `json:"scheduled_end_time"`
		EntityType     int       `json:"entity_type"`
		PrivacyLevel   int       `json:"privacy_level"`
		EntityMetadata struct {
			Location string `json:"location"`
		} `json:"entity_metadata"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeJSON(w, http.StatusBadRequest, apiError{50035, "Invalid Form Body"})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case guild != s.GuildID:
		writeJSON(w, http.StatusNotFound, apiError{10004, "Unknown Guild"})
		return
	case s.denyEvents:
		writeJSON(w, http.StatusForbidden, apiError{50013, "Missing Permissions"})
		return
	case body.EntityType == 3 && (body.End.IsZero() || body.EntityMetadata.Location == ""):
		// An external event needs an end and a location (Discord's field
		// requirements by entity type).
		writeJSON(w, http.StatusBadRequest, apiError{50035, "Invalid Form Body"})
		return
	}
	ev := ScheduledEvent{ID: s.id(), GuildID: guild, Name: body.Name, Location: body.EntityMetadata.Location,
		Start: body.Start, End: body.End, EntityType: body.EntityType, PrivacyLevel: body.PrivacyLevel}
	s.events = append(s.events, ev)
	s.notify()
	writeJSON(w, http.StatusOK, map[string]any{
		"id": ev.ID, "guild_id": guild, "name": ev.Name, "scheduled_start_time": ev.Start.Format(time.RFC3339),
		"scheduled_end_time": ev.End.Format(time.RFC3339), "privacy_level": ev.PrivacyLevel, "status": 1,
		"entity_type": ev.EntityType, "entity_metadata": map[string]any{"location": ev.Location},
	})
}
