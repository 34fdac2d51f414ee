package discordtest

// Stop takes the fake Discord down, as an outage would: the gateway socket
// is cut and nothing answers at its address any more (REST nor gateway), so
// the bot cannot reconnect. The test's cleanup stops it anyway.
func (f *Server) Stop() {
	f.DropSocket()
	f.srv.CloseClientConnections()
	f.srv.Close()
}
