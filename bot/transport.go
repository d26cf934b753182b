package bot

import "net/http"

// MaxIdlePerHost is how many idle connections an adapter keeps to its
// platform's API for the next call. Go's default is two per host, meant
// for clients that talk to many hosts; an adapter talks to one
// (api.telegram.org, discord.com, or the one proxy replacing it), and
// answers commands in bursts: the chats of one getUpdates batch (up to
// 100), a wave of Discord interactions. With two, every call beyond the
// second of a burst opened a new connection (in production a TCP and a
// TLS handshake) and closed it again after one request.
const MaxIdlePerHost = 100

// APITransport is http.DefaultTransport's configuration (proxy from the
// environment, timeouts, HTTP/2) keeping MaxIdlePerHost idle connections
// per host. Each adapter makes its own.
func APITransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = max(t.MaxIdleConns, MaxIdlePerHost)
	t.MaxIdleConnsPerHost = MaxIdlePerHost
	return t
}
