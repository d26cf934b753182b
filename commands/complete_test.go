package commands_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wijkbv/wijkbot/commands"
)

// completeCollectiveTests are what a user sees while typing a collective's
// name on Discord (/schema, /export and, in a collective's chat, /contact):
// names that start with the text (case and accents ignored), by name, then
// names with a later word that starts with it, then (from 3 characters on)
// names that contain it elsewhere, each by name, at most 25.
var completeCollectiveTests = []struct {
	chat    commands.ChatRef
	partial string
	want    string
}{
	{staffChat, "een", "Één Buurt; Eendracht"},
	{staffChat, "Één", "Één Buurt; Eendracht"},
	{staffChat, "EEN B", "Één Buurt"},
	{staffChat, "noord", "Noord; Noorderlicht; Bewonersbedrijf Noord"},
	{staffChat, "  Noord ", "Noord; Noorderlicht; Bewonersbedrijf Noord"},
	{staffChat, "de p", "De Pijp; Buurtbedrijf De Pijp"},
	{staffChat, "de  pijp", "De Pijp; Buurtbedrijf De Pijp"},
	{staffChat, "zuid 3", "Zuid 30"},
	{staffChat, "Zuid 0", "Zuid 01; Zuid 02; Zuid 03; Zuid 04; Zuid 05; Zuid 06; Zuid 07; Zuid 08; Zuid 09"},
	{staffChat, "oost", "Groen-Oost"},
	{staffChat, "groen-o", "Groen-Oost"},
	{staffChat, "groen o", "Groen-Oost"},
	// Inside a word (a Dutch compound), after the others.
	{staffChat, "bedrijf", "Bewonersbedrijf Noord; Buurtbedrijf De Pijp"},
	{staffChat, "ijp", "Buurtbedrijf De Pijp; De Pijp"},
	{staffChat, "dracht", "Eendracht"},
	{staffChat, "OÖRD", "Bewonersbedrijf Noord; Noord; Noorderlicht"},
	// One or two characters: the start of a name or word only.
	{staffChat, "ij", ""},
	{staffChat, "xyz", ""},
	{staffChat, "zuid", "Zuid 01; Zuid 02; Zuid 03; Zuid 04; Zuid 05; Zuid 06; Zuid 07; Zuid 08; Zuid 09; Zuid 10; " +
		"Zuid 11; Zuid 12; Zuid 13; Zuid 14; Zuid 15; Zuid 16; Zuid 17; Zuid 18; Zuid 19; Zuid 20; " +
		"Zuid 21; Zuid 22; Zuid 23; Zuid 24; Zuid 25"},
	{staffChat, "", "Bewonersbedrijf Noord; Buurtbedrijf De Pijp; De Pijp; Één Buurt; Eendracht; Groen-Oost; " +
		"Noord; Noorderlicht; Zuid 01; Zuid 02; Zuid 03; Zuid 04; Zuid 05; Zuid 06; Zuid 07; Zuid 08; Zuid 09; Zuid 10; " +
		"Zuid 11; Zuid 12; Zuid 13; Zuid 14; Zuid 15; Zuid 16; Zuid 17"},
	// /contact never offers the chat's own collective.
	{noordChat, "noord", "Noorderlicht; Bewonersbedrijf Noord"},
	{noordChat, "", "Bewonersbedrijf Noord; Buurtbedrijf De Pijp; De Pijp; Één Buurt; Eendracht; Groen-Oost; " +
		"Noorderlicht; Zuid 01; Zuid 02; Zuid 03; Zuid 04; Zuid 05; Zuid 06; Zuid 07; Zuid 08; Zuid 09; Zuid 10; " +
		"Zuid 11; Zuid 12; Zuid 13; Zuid 14; Zuid 15; Zuid 16; Zuid 17; Zuid 18"},
}

func TestCompleteCollective(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	f.setup() // Noord, linked to noordChat
	names := []string{"Bewonersbedrijf Noord", "Één Buurt", "Eendracht", "Noorderlicht", "Buurtbedrijf De Pijp", "De Pijp", "Groen-Oost"}
	for i := 30; i >= 1; i-- {
		names = append(names, fmt.Sprintf("Zuid %02d", i))
	}
	for _, n := range names {
		f.ok(staffChat, sanne, `/collectief "`+n+`"`)
	}
	for _, tc := range completeCollectiveTests {
		var got []string
		for _, c := range f.h.Complete(f.ctx, commands.Request{Chat: tc.chat, User: sanne}, "collectief", tc.partial) {
			if c.Name != c.Value {
				t.Errorf("%v %q: choice %q has value %q, want the name", tc.chat, tc.partial, c.Name, c.Value)
			}
			got = append(got, c.Value)
		}
		if strings.Join(got, "; ") != tc.want {
			t.Errorf("%s %q:\n got %s\nwant %s", tc.chat.ID, tc.partial, strings.Join(got, "; "), tc.want)
		}
	}
}
