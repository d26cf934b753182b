package commands

import (
	"errors"
	"reflect"
	"testing"
)

var parseTests = []struct {
	in   string
	cmd  string
	args map[string]string
	err  string
}{
	{"/voortgang We hebben de sleutel!", "voortgang", map[string]string{"tekst": "We hebben de sleutel!"}, ""},
	{"/log  spaties   blijven  staan ", "voortgang", map[string]string{"tekst": "spaties   blijven  staan"}, ""},
	{"/voortgang@WijkBot hoi", "voortgang", map[string]string{"tekst": "hoi"}, ""},
	{"/voortgang@wijkbot hoi", "voortgang", map[string]string{"tekst": "hoi"}, ""},
	{"/voortgang@AnderBot hoi", "", nil, "other"},
	{"gewoon een bericht", "", nil, "notcmd"},
	{"/", "", nil, "notcmd"},
	{"/bestaatniet", "", nil, "unknown"},
	{"/start", "hulp", map[string]string{}, ""},
	{"/HELP", "hulp", map[string]string{}, ""},
	{"/schuif eigenaarschap 7", "schuif", map[string]string{"element": "eigenaarschap", "waarde": "7"}, ""},
	{"/schuif impact op wonen 7 we kochten het pand", "schuif", map[string]string{"element": "impact op wonen", "waarde": "7", "toelichting": "we kochten het pand"}, ""},
	{`/schuif "geworteld in de wijk" 3`, "schuif", map[string]string{"element": "geworteld in de wijk", "waarde": "3"}, ""},
	{"/set zeggenschap zeven", "schuif", map[string]string{"element": "zeggenschap", "waarde": "zeven"}, ""},
	{"/schuif zeggenschap 7,0", "schuif", map[string]string{"element": "zeggenschap", "waarde": "7,0"}, ""},
	{"/schuif impact op wonen -1", "schuif", map[string]string{"element": "impact op wonen", "waarde": "-1"}, ""},
	{"/schuif impact op wonen zeven", "schuif", map[string]string{"element": "impact op wonen", "waarde": "zeven"}, ""},
	{"/schuif 7", "schuif", map[string]string{"element": "7"}, ""},
	{"/schuif 2050-doelen 7", "schuif", map[string]string{"element": "2050-doelen", "waarde": "7"}, ""},
	{"/hulpvraag juridisch Mogen we het pand kopen?", "hulpvraag", map[string]string{"expertise": "juridisch", "vraag": "Mogen we het pand kopen?"}, ""},
	{`/schema "Bewonersbedrijf Noord" @weekly`, "schema", map[string]string{"collectief": "Bewonersbedrijf Noord", "schema": "@weekly"}, ""},
	{`/schema “Bewonersbedrijf Noord” 0 10 * * MON`, "schema", map[string]string{"collectief": "Bewonersbedrijf Noord", "schema": "0 10 * * MON"}, ""},
	{`/schema "Noord @weekly`, "schema", nil, "quote"},
	{"/antwoord 12 Bel Fatima van het juridisch loket", "antwoord", map[string]string{"nummer": "12", "tekst": "Bel Fatima van het juridisch loket"}, ""},
	{"/oppakken 12 13", "oppakken", nil, "extra"},
	{"/tijdlijn", "tijdlijn", map[string]string{}, ""},
	{"/tijdlijn 5", "tijdlijn", map[string]string{"aantal": "5"}, ""},
	{`/collectief "Bewonersbedrijf Noord"`, "collectief", map[string]string{"naam": "Bewonersbedrijf Noord"}, ""},
	{`/voortgang "alles tussen aanhalingstekens"`, "voortgang", map[string]string{"tekst": "alles tussen aanhalingstekens"}, ""},
	{`/voortgang "een" en "twee"`, "voortgang", map[string]string{"tekst": `"een" en "twee"`}, ""},
	{"/vergeetmij ja", "vergeetmij", map[string]string{"bevestig": "ja"}, ""},
	{"/element Zonnepanelen Hoeveel daken we delen", "element", map[string]string{"naam": "Zonnepanelen", "omschrijving": "Hoeveel daken we delen"}, ""},
}

func TestParse(t *testing.T) {
	for _, tt := range parseTests {
		t.Run(tt.in, func(t *testing.T) {
			cmd, args, err := Commands.Parse(tt.in, "WijkBot")
			var kind string
			var unknown *UnknownCommandError
			var extra *ExtraArgsError
			var quote *UnclosedQuoteError
			switch {
			case err == nil:
			case errors.Is(err, ErrOtherBot):
				kind = "other"
			case errors.Is(err, ErrNotCommand):
				kind = "notcmd"
			case errors.As(err, &unknown):
				kind = "unknown"
			case errors.As(err, &extra):
				kind = "extra"
			case errors.As(err, &quote):
				kind = "quote"
			default:
				kind = err.Error()
			}
			if kind != tt.err {
				t.Fatalf("err=%v, want kind %q", err, tt.err)
			}
			if tt.err != "" {
				return
			}
			if got, want := cmd.Name, tt.cmd; got != want {
				t.Fatalf("cmd=%q, want %q", got, want)
			}
			if !reflect.DeepEqual(args, tt.args) {
				t.Fatalf("args=%q, want %q", args, tt.args)
			}
		})
	}
}

func TestUsage(t *testing.T) {
	if got, want := Commands.Lookup("schuif").Usage(NL), "/schuif <element> <waarde> [toelichting]"; got != want {
		t.Fatalf("usage=%q, want %q", got, want)
	}
	if got, want := Commands.Lookup("set").Usage(EN), "/set <element> <value> [reason]"; got != want {
		t.Fatalf("usage=%q, want %q", got, want)
	}
}

func TestTableNamesUnique(t *testing.T) {
	seen := map[string]string{}
	for _, c := range Commands {
		for _, n := range c.Names() {
			if prev, ok := seen[n]; ok {
				t.Errorf("name %q used by /%s and /%s", n, prev, c.Name)
			}
			seen[n] = c.Name
		}
	}
}

// TestCommandAgreesWithParse: Command finds the command (or the error)
// Parse finds, options or no options; on an error about the options
// (extra words, an open quote) it still names the command, as Parse does.
func TestCommandAgreesWithParse(t *testing.T) {
	for _, line := range []string{
		"/voortgang Stap 3 in de wijk #energie", "  /voortgang@wijkbot tekst ", "/VOORTGANG x",
		"/voortgang@andere_bot x", "geen commando", "/", "/@wijkbot", "/bestaatniet x",
		`/schuif zeggenschap 7 we stemmen`, `/schuif "open quote 7`, "/hulp extra woorden",
	} {
		pc, _, perr := Commands.Parse(line, "wijkbot")
		cc, cerr := Commands.Command(line, "wijkbot")
		if cc != pc {
			t.Errorf("%q: Command found %v, Parse %v", line, cc, pc)
		}
		var pu, cu *UnknownCommandError
		switch {
		case errors.As(perr, &pu):
			if !errors.As(cerr, &cu) || cu.Name != pu.Name {
				t.Errorf("%q: Command's error %v, Parse's %v", line, cerr, perr)
			}
		case errors.Is(perr, ErrNotCommand), errors.Is(perr, ErrOtherBot):
			if !errors.Is(cerr, perr) {
				t.Errorf("%q: Command's error %v, Parse's %v", line, cerr, perr)
			}
		default: // nil, or an error about the options: the command is known
			if cerr != nil || cc == nil {
				t.Errorf("%q: Command gave %v, %v; Parse %v, %v", line, cc, cerr, pc, perr)
			}
		}
	}
}
