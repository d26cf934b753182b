// Command specsubset cuts the platforms' published API specifications down
// to what the bot uses, for the contract tests of the fake platforms
// (bot/telegram/telegramtest, bot/discord/discordtest). The full files are
// about 2 MB together; the subsets keep every vendored operation exactly as
// published (request side) plus everything it references, and the names
// of all other operations, so "this method does not exist" is still
// checked against the whole specification.
//
// Refresh (see README, "API versions"):
//
//	git clone https://github.com/discord/discord-api-spec
//	git clone https://github.com/PaulSonOfLars/telegram-bot-api-spec
//	go run ./internal/specsubset \
//	    -discord discord-api-spec/specs/openapi.json -discord-commit $(git -C discord-api-spec rev-parse HEAD) \
//	    -telegram telegram-bot-api-spec/api.json -telegram-commit $(git -C telegram-bot-api-spec rev-parse HEAD)
//
// and copy each repository's LICENSE next to its subset. When the bot
// starts using a new method or endpoint, add it to the lists below and
// run the command again; until then the contract check reports it as
// "not vendored".
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// telegramMethods are the Bot API methods the bot calls.
var telegramMethods = []string{
	"getMe", "getUpdates", "sendMessage", "sendPhoto", "sendDocument", "sendChatAction",
	"answerCallbackQuery", "setMyCommands", "deleteMyCommands", "getChatMember",
}

// discordOperations are the REST operations the bot calls ("METHOD path"
// with the path as the OpenAPI file writes it).
var discordOperations = []string{
	"GET /gateway",
	"GET /gateway/bot",
	"GET /users/@me",
	"POST /users/@me/channels",
	"GET /channels/{channel_id}",
	"POST /channels/{channel_id}/messages",
	"PUT /applications/{application_id}/commands",
	"PUT /applications/{application_id}/guilds/{guild_id}/commands",
	"POST /interactions/{interaction_id}/{interaction_token}/callback",
	"POST /webhooks/{webhook_id}/{webhook_token}",
	"PATCH /webhooks/{webhook_id}/{webhook_token}/messages/@original",
	"DELETE /webhooks/{webhook_id}/{webhook_token}/messages/@original",
	"PATCH /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}",
	"DELETE /webhooks/{webhook_id}/{webhook_token}/messages/{message_id}",
	"POST /guilds/{guild_id}/scheduled-events",
}

func main() {
	discordIn := flag.String("discord", "", "discord-api-spec's specs/openapi.json")
	discordCommit := flag.String("discord-commit", "", "the discord-api-spec commit it comes from")
	telegramIn := flag.String("telegram", "", "telegram-bot-api-spec's api.json")
	telegramCommit := flag.String("telegram-commit", "", "the telegram-bot-api-spec commit it comes from")
	flag.Parse()
	if *discordIn != "" {
		out := filepath.Join("bot", "discord", "discordtest", "testdata", "discord-api-spec")
		if err := discord(*discordIn, out, *discordCommit); err != nil {
			log.Fatal(err)
		}
	}
	if *telegramIn != "" {
		out := filepath.Join("bot", "telegram", "telegramtest", "testdata", "telegram-bot-api-spec")
		if err := telegram(*telegramIn, out, *telegramCommit); err != nil {
			log.Fatal(err)
		}
	}
}

func readJSON(path string) (map[string]any, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var v map[string]any
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber() // keep big integers (Discord's permission maxima) exact
	if err := d.Decode(&v); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return v, nil
}

func writeJSON(dir, name string, v any) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644)
}

func writeSource(dir, repo, commit, note string) error {
	if commit == "" {
		return fmt.Errorf("%s: the commit is required (-*-commit)", repo)
	}
	text := fmt.Sprintf("%s %s\n%s\n", repo, commit, note)
	return os.WriteFile(filepath.Join(dir, "SOURCE"), []byte(text), 0o644)
}

// discord keeps the listed operations (without their responses) and the
// components they reference, transitively.
func discord(in, outDir, commit string) error {
	spec, err := readJSON(in)
	if err != nil {
		return err
	}
	paths := spec["paths"].(map[string]any)
	var all []string
	for p, item := range paths {
		for m := range item.(map[string]any) {
			switch m {
			case "get", "put", "post", "patch", "delete", "head", "options":
				all = append(all, strings.ToUpper(m)+" "+p)
			}
		}
	}
	sort.Strings(all)
	kept := map[string]any{}
	for _, op := range discordOperations {
		method, path, _ := strings.Cut(op, " ")
		item, ok := paths[path].(map[string]any)
		if !ok {
			return fmt.Errorf("discord: no path %s", path)
		}
		o, ok := item[strings.ToLower(method)].(map[string]any)
		if !ok {
			return fmt.Errorf("discord: no operation %s", op)
		}
		dst, _ := kept[path].(map[string]any)
		if dst == nil {
			dst = map[string]any{}
			if ps, ok := item["parameters"]; ok {
				dst["parameters"] = ps
			}
			kept[path] = dst
		}
		cp := map[string]any{}
		for k, v := range o {
			if k != "responses" {
				cp[k] = v
			}
		}
		dst[strings.ToLower(method)] = cp
	}
	comps := spec["components"].(map[string]any)
	outComps := map[string]any{}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if ref, ok := x["$ref"].(string); ok {
				if rest, ok := strings.CutPrefix(ref, "#/components/"); ok {
					kind, name, _ := strings.Cut(rest, "/")
					dst, _ := outComps[kind].(map[string]any)
					if dst == nil {
						dst = map[string]any{}
						outComps[kind] = dst
					}
					if _, done := dst[name]; !done {
						def := comps[kind].(map[string]any)[name]
						dst[name] = def
						walk(def)
					}
				}
			}
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(kept)
	out := map[string]any{
		"openapi":    spec["openapi"],
		"info":       spec["info"],
		"servers":    spec["servers"],
		"paths":      kept,
		"components": outComps,
		"x-wijkbot-subset": map[string]any{
			"note":           "Generated by internal/specsubset: the operations the bot uses, request side only (responses dropped), with every component they reference. all_operations lists every operation of the full file.",
			"all_operations": all,
		},
	}
	if err := writeJSON(outDir, "openapi.json", out); err != nil {
		return err
	}
	return writeSource(outDir, "discord/discord-api-spec", commit, "specs/openapi.json, cut by internal/specsubset")
}

// telegram keeps the listed methods and the types their fields name,
// transitively (with the subtypes of abstract types).
func telegram(in, outDir, commit string) error {
	spec, err := readJSON(in)
	if err != nil {
		return err
	}
	methods := spec["methods"].(map[string]any)
	types := spec["types"].(map[string]any)
	var all []string
	for m := range methods {
		all = append(all, m)
	}
	sort.Strings(all)
	keptM, keptT := map[string]any{}, map[string]any{}
	var addType func(name string)
	fields := func(def map[string]any) {
		fs, _ := def["fields"].([]any)
		for _, f := range fs {
			for _, t := range f.(map[string]any)["types"].([]any) {
				name := t.(string)
				for {
					rest, ok := strings.CutPrefix(name, "Array of ")
					if !ok {
						break
					}
					name = rest
				}
				addType(name)
			}
		}
	}
	addType = func(name string) {
		def, ok := types[name].(map[string]any)
		if !ok {
			return // a primitive: String, Integer, Boolean, Float, ...
		}
		if _, done := keptT[name]; done {
			return
		}
		keptT[name] = def
		fields(def)
		if subs, ok := def["subtypes"].([]any); ok {
			for _, s := range subs {
				addType(s.(string))
			}
		}
	}
	for _, m := range telegramMethods {
		def, ok := methods[m].(map[string]any)
		if !ok {
			return fmt.Errorf("telegram: no method %s", m)
		}
		keptM[m] = def
		fields(def)
	}
	out := map[string]any{
		"version":      spec["version"],
		"release_date": spec["release_date"],
		"changelog":    spec["changelog"],
		"methods":      keptM,
		"types":        keptT,
		"x-wijkbot-subset": map[string]any{
			"note":        "Generated by internal/specsubset: the methods the bot uses and every type their parameters name. all_methods lists every method of the full file.",
			"all_methods": all,
		},
	}
	if err := writeJSON(outDir, "api.json", out); err != nil {
		return err
	}
	return writeSource(outDir, "PaulSonOfLars/telegram-bot-api-spec", commit, "api.json ("+fmt.Sprint(spec["version"])+"), cut by internal/specsubset")
}
