// Package bot is peerbot's platform-neutral core.
//
// Adapters (console, Matrix, Discord) turn platform events into Events and
// hand them to Bot.Handle; the core decides what to say and to whom and
// delivers Replies through the Platform interface. The core stores state
// through the Store interface and reads time from the Clock. Nothing in this
// package knows about SQL drivers or platform SDKs.
package bot
