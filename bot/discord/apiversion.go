package discord

import "github.com/bwmarrin/discordgo"

// APIVersion is the Discord API version the bot speaks, on REST
// (/api/v10/...) and on the gateway (?v=10). discordgo v0.29 defaults to
// 9; its endpoint variables are built from APIVersion when the package
// initialises, so useAPIVersion rebuilds them. bot/discord/discordtest
// checks every request against Discord's v10 OpenAPI specification.
const APIVersion = "10"

func init() { useAPIVersion(APIVersion) }

// useAPIVersion points discordgo at version v. It runs in init, before any
// session exists, because the variables are read without a lock.
func useAPIVersion(v string) {
	discordgo.APIVersion = v
	api := discordgo.EndpointDiscord + "api/v" + v + "/"
	discordgo.EndpointAPI = api
	discordgo.EndpointGuilds = api + "guilds/"
	discordgo.EndpointChannels = api + "channels/"
	discordgo.EndpointUsers = api + "users/"
	discordgo.EndpointGateway = api + "gateway"
	discordgo.EndpointGatewayBot = discordgo.EndpointGateway + "/bot"
	discordgo.EndpointWebhooks = api + "webhooks/"
	discordgo.EndpointStickers = api + "stickers/"
	discordgo.EndpointStageInstances = api + "stage-instances"
	discordgo.EndpointSKUs = api + "skus"
	discordgo.EndpointVoice = api + "/voice/"
	discordgo.EndpointVoiceRegions = discordgo.EndpointVoice + "regions"
	discordgo.EndpointNitroStickersPacks = api + "/sticker-packs"
	discordgo.EndpointGuildCreate = api + "guilds"
	discordgo.EndpointApplications = api + "applications"
	discordgo.EndpointOAuth2 = api + "oauth2/"
	discordgo.EndpointOAuth2Applications = discordgo.EndpointOAuth2 + "applications"
	discordgo.EndpointOauth2 = discordgo.EndpointOAuth2
	discordgo.EndpointOauth2Applications = discordgo.EndpointOAuth2Applications
}
