// Package durability drives an atlasstub binary as a child process, as its users run it, to show
// that its state survives: writers that change the state over HTTP and keep a ledger of what the
// stub acknowledged, a kill at any moment, and checks that the state after a restart holds every
// acknowledged write, no half of an unacknowledged one, and records that hold together.
//
// TestCrashSafety (scripts/crash.sh for long runs) kills the stub again and again;
// scripts/load (scripts/load.sh) measures a mixed load against a stub with and without
// --data-dir.
package durability
