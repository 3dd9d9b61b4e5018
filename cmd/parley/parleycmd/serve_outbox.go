package parleycmd

import (
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/parleyhq/parley/engine/server"
)

// outboxFlags are serve's outbox settings: each a flag whose default comes
// from an environment variable, as -label's from PARLEY_POLICY_LABEL, so a
// container sets them in its environment and a person on the command line.
type outboxFlags struct {
	attempts, maxBackoff, lease *string
}

const (
	envOutboxAttempts   = "PARLEY_OUTBOX_ATTEMPTS"
	envOutboxMaxBackoff = "PARLEY_OUTBOX_MAX_BACKOFF"
	envOutboxLease      = "PARLEY_OUTBOX_LEASE"
	maxOutboxAttempts   = 1000
)

func addOutboxFlags(fs *flag.FlagSet, getenv func(string) string) outboxFlags {
	return outboxFlags{
		attempts: fs.String("outbox-attempts", getenv(envOutboxAttempts),
			"attempts to send an SMS, email or webhook reply before it is marked failed (default 15; env "+envOutboxAttempts+")"),
		maxBackoff: fs.String("outbox-max-backoff", getenv(envOutboxMaxBackoff),
			"the longest wait between two attempts; waits double from 10s up to it (default 30m; env "+envOutboxMaxBackoff+")"),
		lease: fs.String("outbox-lease", getenv(envOutboxLease),
			fmt.Sprintf("how long a message being sent is left to its instance before another may send it, after a crash (default %s; more than %s; env %s)",
				server.OutboxAttemptTimeout+30*time.Second, server.OutboxAttemptTimeout, envOutboxLease)),
	}
}

// config checks the settings; an error names the flag, or the variable when
// the value came from the environment.
func (f outboxFlags) config(fs *flag.FlagSet) (server.OutboxConfig, error) {
	set := map[string]bool{}
	fs.Visit(func(fl *flag.Flag) { set[fl.Name] = true })
	name := func(flagName, env string) string {
		if set[flagName] {
			return "-" + flagName
		}
		return env
	}
	var cfg server.OutboxConfig
	var problems []string
	if v := strings.TrimSpace(*f.attempts); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > maxOutboxAttempts {
			problems = append(problems, fmt.Sprintf("%s %q: a whole number of attempts from 1 to %d", name("outbox-attempts", envOutboxAttempts), v, maxOutboxAttempts))
		}
		cfg.MaxAttempts = n
	}
	if v := strings.TrimSpace(*f.maxBackoff); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < time.Second {
			problems = append(problems, fmt.Sprintf("%s %q: a duration of at least 1s, such as 30m or 2h", name("outbox-max-backoff", envOutboxMaxBackoff), v))
		}
		cfg.MaxBackoff = d
	}
	if v := strings.TrimSpace(*f.lease); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= server.OutboxAttemptTimeout {
			problems = append(problems, fmt.Sprintf("%s %q: a duration longer than an attempt may take (%s), such as 3m; shorter, a slow send could go out twice",
				name("outbox-lease", envOutboxLease), v, server.OutboxAttemptTimeout))
		}
		cfg.Lease = d
	}
	if len(problems) > 0 {
		return server.OutboxConfig{}, &exitError{code: 2, msg: strings.Join(problems, "\n")}
	}
	return cfg, nil
}
