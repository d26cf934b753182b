package discord

import (
	"strings"
	"testing"

	"github.com/bwmarrin/discordgo"
)

// TestEndpointsSpeakV10 checks that discordgo's endpoints, built before
// this package set the version, were rebuilt for it.
func TestEndpointsSpeakV10(t *testing.T) {
	want := "https://discord.com/api/v" + APIVersion + "/"
	for name, got := range map[string]string{
		"EndpointAPI":              discordgo.EndpointAPI,
		"EndpointGatewayBot":       discordgo.EndpointGatewayBot,
		"EndpointChannelMessages":  discordgo.EndpointChannelMessages("1"),
		"EndpointInteractionReply": discordgo.EndpointInteractionResponse("1", "tok"),
		"EndpointWebhookMessage":   discordgo.EndpointWebhookMessage("1", "tok", "@original"),
		"EndpointGuildCommands":    discordgo.EndpointApplicationGuildCommands("1", "2"),
		"EndpointGlobalCommands":   discordgo.EndpointApplicationGlobalCommands("1"),
		"EndpointOAuth2":           discordgo.EndpointOAuth2Applications,
	} {
		if !strings.HasPrefix(got, want) {
			t.Errorf("%s = %q, want it under %s", name, got, want)
		}
	}
	if discordgo.APIVersion != APIVersion {
		t.Errorf("discordgo.APIVersion = %q, want %q (the gateway's ?v=)", discordgo.APIVersion, APIVersion)
	}
}
