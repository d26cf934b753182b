package commands

import "testing"

// Test hooks: package commands_test (the throwaway command, the throwaway
// language) extends the catalogues through these for the length of a test.

// AddText adds a text to every language's catalogue for the length of the
// test (texts[l], else the Dutch one) and returns its id: a test's
// throwaway command gets its descriptions the way a real one does.
func AddText(t testing.TB, texts map[Lang]string) MsgID {
	t.Helper()
	saved := catalogues
	catalogues = map[Lang]catalogue{}
	var id MsgID
	for l, c := range saved {
		text, ok := texts[l]
		if !ok {
			text = texts[NL]
		}
		id = MsgID(len(c.texts))
		c.texts = append(c.texts[:len(c.texts):len(c.texts)], text)
		catalogues[l] = c
	}
	t.Cleanup(func() { catalogues = saved })
	return id
}

// AddLanguage adds a throwaway language l for the length of the test: a
// copy of from's catalogue with prefix before every text, description and
// date name (a prefix keeps every fmt verb and plural form intact). Nothing
// else is edited, which is the point: it shows what a translator's one new
// file reaches.
func AddLanguage(t testing.TB, l, from Lang, prefix string) {
	t.Helper()
	saved := catalogues
	catalogues = map[Lang]catalogue{}
	for k, c := range saved {
		catalogues[k] = c
	}
	c := saved[from]
	texts := make([]string, len(c.texts))
	for i, s := range c.texts {
		if s != "" {
			texts[i] = prefix + s
		}
	}
	c.texts = texts
	d := c.dates
	for i := range d.months {
		d.months[i], d.monthsShort[i] = prefix+d.months[i], prefix+d.monthsShort[i]
	}
	for i := range d.weekdays {
		d.weekdays[i], d.weekdaysShort[i] = prefix+d.weekdays[i], prefix+d.weekdaysShort[i]
	}
	c.dates = d
	catalogues[l] = c
	t.Cleanup(func() { catalogues = saved })
}
