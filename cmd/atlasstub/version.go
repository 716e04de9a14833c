package main

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync"

	"github.com/atlasstub/atlasstub/openapi"
)

const versionSynopsis = `usage: atlasstub version

Prints what this binary is: its module version, the VCS revision it was built from, the Atlas
resource versions it serves, the versions of its two specifications, and the Go version that
built it. All of it comes from the binary's build information: a binary built with
-buildvcs=false, or outside a git checkout, has no revision to tell.
`

// runVersion runs `atlasstub version`.
func runVersion(args []string, stdout, stderr io.Writer) int {
	const command = "atlasstub version"
	flags := newFlagSet(command, versionSynopsis)
	if status, ok := parseFlags(flags, "ATLASSTUB_VERSION_", args, stdout, stderr); !ok {
		return status
	}
	if flags.NArg() > 0 {
		return usageError(stderr, command, fmt.Errorf("takes no arguments, got %q", flags.Args()))
	}
	served, err := servedVersions()
	if err != nil {
		return badInput(stderr, command, err)
	}
	info, _ := debug.ReadBuildInfo()
	fmt.Fprint(stdout, describeBuild(info, served))
	return 0
}

// specVersions are what the binary serves: the resource versions of the Atlas API
// (x-atlas-versions) and the info.version of each specification.
type specVersions struct {
	atlasResources    []string
	atlasSpec         string
	controlSpec       string
	atlasOperations   int
	controlOperations int
}

// servedVersions reads them from the embedded specifications, once.
var servedVersions = sync.OnceValues(func() (specVersions, error) {
	atlas, err := openapi.LoadAtlas()
	if err != nil {
		return specVersions{}, err
	}
	stub, err := openapi.LoadStub()
	if err != nil {
		return specVersions{}, err
	}
	v := specVersions{atlasSpec: atlas.Info.Version, controlSpec: stub.Info.Version}
	for _, item := range atlas.Paths.Map() {
		for _, op := range item.Operations() {
			v.atlasOperations++
			v.atlasResources = append(v.atlasResources, openapi.Versions(op)...)
		}
	}
	for _, item := range stub.Paths.Map() {
		v.controlOperations += len(item.Operations())
	}
	slices.Sort(v.atlasResources)
	v.atlasResources = slices.Compact(v.atlasResources)
	return v, nil
})

// describeBuild is the text of `atlasstub version`. info is nil when the binary carries no build
// information.
func describeBuild(info *debug.BuildInfo, served specVersions) string {
	module, version, goVersion := "github.com/atlasstub/atlasstub", "unknown", runtime.Version()
	settings := map[string]string{}
	if info != nil {
		module, version, goVersion = info.Main.Path, info.Main.Version, info.GoVersion
		for _, s := range info.Settings {
			settings[s.Key] = s.Value
		}
	}
	revision := "unknown (built with -buildvcs=false or outside a git checkout)"
	if r := settings["vcs.revision"]; r != "" {
		var notes []string
		if t := settings["vcs.time"]; t != "" {
			notes = append(notes, "committed "+t)
		}
		if settings["vcs.modified"] == "true" {
			notes = append(notes, "with uncommitted changes")
		}
		revision = r
		if len(notes) > 0 {
			revision += " (" + strings.Join(notes, ", ") + ")"
		}
	}
	platform := runtime.GOOS + "/" + runtime.GOARCH
	if goos, goarch := settings["GOOS"], settings["GOARCH"]; goos != "" && goarch != "" {
		platform = goos + "/" + goarch
	}
	var b strings.Builder
	fmt.Fprintf(&b, "atlasstub %s\n", version)
	fmt.Fprintf(&b, "  module       %s %s\n", module, version)
	fmt.Fprintf(&b, "  revision     %s\n", revision)
	fmt.Fprintf(&b, "  Atlas API    resource versions %s; openapi/atlas.yaml %s, %d operations\n",
		strings.Join(served.atlasResources, ", "), served.atlasSpec, served.atlasOperations)
	fmt.Fprintf(&b, "  control API  openapi/stub.yaml %s, %d operations\n", served.controlSpec, served.controlOperations)
	fmt.Fprintf(&b, "  go           %s %s\n", goVersion, platform)
	return b.String()
}
