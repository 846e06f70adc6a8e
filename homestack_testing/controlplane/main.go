// Command controlplane runs one of the Kubernetes control-plane components, built from the
// published k8s.io/kubernetes module, so the tests run against the real API server, controller
// manager and scheduler instead of an imitation.
//
// Usage: controlplane apiserver|controller-manager|scheduler [flags of that component]
package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"
	"k8s.io/component-base/cli"
	apiserver "k8s.io/kubernetes/cmd/kube-apiserver/app"
	controllermanager "k8s.io/kubernetes/cmd/kube-controller-manager/app"
	scheduler "k8s.io/kubernetes/cmd/kube-scheduler/app"
)

// components maps each subcommand to the constructor of the real component's command.
var components = map[string]func() *cobra.Command{
	"apiserver":          apiserver.NewAPIServerCommand,
	"controller-manager": controllermanager.NewControllerManagerCommand,
	"scheduler":          func() *cobra.Command { return scheduler.NewSchedulerCommand() },
}

func main() {
	if len(os.Args) < 2 || components[os.Args[1]] == nil {
		fmt.Fprintln(os.Stderr, "usage: controlplane apiserver|controller-manager|scheduler [flags]")
		os.Exit(64)
	}
	command := components[os.Args[1]]()
	// The component parses the rest of the arguments as its own.
	command.SetArgs(os.Args[2:])
	os.Exit(cli.Run(command))
}
