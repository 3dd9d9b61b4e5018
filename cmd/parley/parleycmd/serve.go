package parleycmd

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/parleyhq/parley/engine"
	"github.com/parleyhq/parley/engine/channels"
	"github.com/parleyhq/parley/engine/report"
	"github.com/parleyhq/parley/engine/server"
	"github.com/parleyhq/parley/engine/store"
	"github.com/parleyhq/parley/internal/srcfile"
	"github.com/parleyhq/parley/policies"
)

func cmdServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("serve", "serve [-addr HOST:PORT] [-database DSN] DIR", stderr)
	usage := fs.Usage
	fs.Usage = func() {
		usage()
		fmt.Fprint(stderr, serveEnvironment)
	}
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	dsn := databaseFlag(fs)
	watch := fs.Bool("watch", true, "reload the bot when its .hcl or knowledge files change (SIGHUP reloads too)")
	shutdownTimeout := fs.Duration("shutdown-timeout", 30*time.Second, "on SIGINT or SIGTERM, how long to let requests and turns in progress finish (a second signal stops at once)")
	rateLimit := fs.Float64("rate-limit", 0, "requests per second per client (0: 20; negative: no limit, for load tests)")
	rateBurst := fs.Int("rate-burst", 0, "burst allowed above -rate-limit (0: twice the rate)")
	label := fs.String("label", os.Getenv("PARLEY_POLICY_LABEL"), "a name for this version of the policies, recorded with its content hash (e.g. git describe; env PARLEY_POLICY_LABEL)")
	sweepEvery := fs.Duration("sweep-every", time.Minute, "how often conversations whose customer went quiet get their outcome")
	candidate := fs.String("candidate", "", "a folder with a candidate version of the policies, served beside DIR to a share of new conversations (see parley rollout)")
	candidateShare := fs.Int("candidate-share", 10, "the percent of new conversations a new rollout of -candidate starts with")
	candidateLabel := fs.String("candidate-label", os.Getenv("PARLEY_CANDIDATE_LABEL"), "a name for the candidate's version, as -label (env PARLEY_CANDIDATE_LABEL)")
	rolloutEvery := fs.Duration("rollout-every", 5*time.Second, "how often the rollout's share and status are read, to follow changes made through other instances")
	logFormat := fs.String("log-format", "auto", "auto (text on a terminal, else JSON), text or json")
	logLevel := fs.String("log-level", "info", "debug (successful reads too: health checks, the console's polling), info, warn or error")
	maxClientConns := fs.Int("max-client-conns", defaultMaxClientConns, "connections one client address may hold open at once (0: no limit; behind a reverse proxy, every client is the proxy)")
	outbox := addOutboxFlags(fs, os.Getenv)
	token := os.Getenv("PARLEY_API_TOKEN")
	positional, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(positional) != 1 {
		fs.Usage()
		return &exitError{code: 2}
	}
	if token != "" && len(token) < minTokenLength {
		return &exitError{code: 2, msg: fmt.Sprintf("PARLEY_API_TOKEN must be at least %d characters (it is the admin key); make one with: openssl rand -hex 32", minTokenLength)}
	}
	if host, _, err := net.SplitHostPort(*addr); err == nil && token == "" {
		if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return &exitError{code: 2, msg: fmt.Sprintf("-addr %s is reachable from other machines: set PARLEY_API_TOKEN so the API requires it (transcripts hold personal data)", *addr)}
		}
	}
	dir := positional[0]
	if *candidateShare < 0 || *candidateShare > 100 {
		return &exitError{code: 2, msg: fmt.Sprintf("-candidate-share %d: a percent from 0 to 100", *candidateShare)}
	}
	outboxCfg, err := outbox.config(fs)
	if err != nil {
		return err
	}
	if *candidate != "" {
		if _, err := loadBot(ctx, *candidate, stderr); err != nil {
			return err
		}
	}
	// Caught from the start: SIGHUP's default action would end the process.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	eng, where, _, err := openEngine(ctx, dir, *dsn, *label, stderr)
	if err != nil {
		return err
	}
	st := eng.Store()
	bot := eng.Bot()
	// Logs never carry a customer's email, phone or card number in the clear.
	// ... as the bot's privacy block says, read afresh after every hot reload.
	var serving atomic.Pointer[server.Server]
	logger, err := newLogger(stderr, *logFormat, *logLevel, func() *policies.Masker {
		if s := serving.Load(); s != nil {
			return s.Engine().Masker()
		}
		return eng.Masker()
	})
	if err != nil {
		return err
	}
	secret, err := conversationSecret(dir)
	if err != nil {
		return err
	}
	cfg := server.ServerConfig{
		Token: token, RequireAuth: token != "", Secret: secret, Logger: logger,
		RateLimit: *rateLimit, RateBurst: *rateBurst, Outbox: outboxCfg,
	}
	if err := configureChannels(&cfg, os.Getenv); err != nil {
		return err
	}
	api := server.NewServer(eng, cfg)
	serving.Store(api)
	api.Metrics().SetVersion(parleyVersion())
	// Closed last, after requests and turns in progress: the engine serving
	// then (a reload replaces the first one and closes it) and the store.
	defer func() {
		api.Engine().Close()
		st.Close()
	}()

	// A reload builds a whole new engine on the same store; bad policies are
	// refused with their diagnostics and the running ones keep serving.
	source := func(dir, label string) server.PolicySource {
		return server.PolicySource{Dir: dir, Label: label, Load: func(ctx context.Context) (*engine.Engine, error) {
			bot, diags := engine.Load(dir, nil)
			if diags.HasErrors() {
				return nil, fmt.Errorf("%s: %w", dir, diags)
			}
			return engine.New(ctx, bot, engine.Options{Store: st, PolicyLabel: label})
		}}
	}
	rollout := server.RolloutConfig{Current: source(dir, *label), Share: *candidateShare}
	if *candidate != "" {
		rollout.Candidate = source(*candidate, *candidateLabel)
	}
	if err := api.ServeVersions(ctx, rollout); err != nil {
		return err
	}
	dirs := []string{dir}
	if *candidate != "" {
		dirs = append(dirs, *candidate)
	}
	reloadDir := func(dir string) func(ctx context.Context) error {
		return func(ctx context.Context) error { return api.ReloadPolicies(ctx, dir) }
	}
	bgCtx, stopBackground := context.WithCancel(ctx)
	var background sync.WaitGroup
	defer background.Wait()
	defer stopBackground()
	background.Go(func() {
		for {
			select {
			case <-bgCtx.Done():
				return
			case <-hup:
				for _, d := range dirs {
					logger.Info("SIGHUP: reloading the bot", "dir", d)
					_ = reloadDir(d)(bgCtx) // the reload logs how it went
				}
			}
		}
	})
	if *watch {
		for _, d := range dirs {
			background.Go(func() { server.WatchPolicies(bgCtx, d, 2*time.Second, reloadDir(d), logger) })
		}
	}
	// Share, promotion and rollback changed through another instance.
	background.Go(func() { api.RunVersions(bgCtx, *rolloutEvery) })
	// Waiting conversations go to available agents.
	background.Go(func() { api.Run(bgCtx) })
	// Quiet conversations get their outcome; scheduled reports go out.
	background.Go(func() {
		api.RunSweeper(bgCtx, *sweepEvery, func(err error) { logger.Warn("outcome sweeper", "error", err) })
	})
	background.Go(func() {
		scheduler := &report.Scheduler{
			Store: st, Bot: func() *policies.Bot { return api.Engine().Bot() }, Mailer: reportMailer(os.Getenv),
			Owner: instanceName(), Logger: logger,
		}
		scheduler.Run(bgCtx, 30*time.Second)
	})

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	ln = server.LimitPerClient(ln, *maxClientConns)
	srv := newHTTPServer(api, defaultHTTPTimeouts, logger)
	fmt.Fprintf(stdout, "parley: serving bot %q on http://%s (conversations in %s)\n", bot.Name, ln.Addr(), where)
	for _, v := range api.Versions().Versions {
		fmt.Fprintf(stdout, "parley: %-9s policies %s%s from %s, %d%% of new conversations\n", v.Name, v.Version, labelText(v.Label), v.Dir, v.Share)
	}
	fmt.Fprintf(stdout, "parley: web chat      http://%s/\n", ln.Addr())
	tuneGC(os.Getenv)
	if addr := os.Getenv("PARLEY_PPROF_ADDR"); addr != "" {
		pl, err := listenProfiling(addr)
		if err != nil {
			return err
		}
		defer pl.Close()
		fmt.Fprintf(stdout, "parley: profiling     http://%s/debug/pprof/\n", pl.Addr())
	}
	if token == "" {
		// On a laptop: an agent to try the console with, its key kept across
		// restarts like the conversation secret, so open console tabs stay signed in.
		key, err := demoAgent(ctx, st, dir)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "parley: agent console http://%s/console (sign in with %s)\n", ln.Addr(), key)
	} else {
		fmt.Fprintf(stdout, "parley: agent console http://%s/console (create agents with POST /v1/admin/agents and PARLEY_API_TOKEN)\n", ln.Addr())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	return shutdown(ctx, srv, api, *shutdownTimeout, logger)
}

func labelText(label string) string {
	if label == "" {
		return ""
	}
	return " (" + label + ")"
}

// minTokenLength keeps the admin key out of reach of guessing, like
// PARLEY_SECRET's minimum.
const minTokenLength = 32

// defaultMaxClientConns is generous for a person (a browser opens six
// connections per host) and for an office behind one address, and small
// beside the file descriptors a server has.
const defaultMaxClientConns = 256

// httpTimeouts bound how long a client may take. WebSockets set their own
// deadlines after the upgrade (server.ServerConfig.WebSocketPing).
type httpTimeouts struct {
	readHeader time.Duration // the request line and headers
	read       time.Duration // the whole request, body included (an email webhook is up to 1 MiB)
	write      time.Duration // from the end of the headers to the end of the answer: the turn and the response
	idle       time.Duration // a kept-alive connection waiting for its next request
}

// defaultHTTPTimeouts let a turn take its full two minutes (connector calls
// time out well before), and close what a slow or idle client holds open.
var defaultHTTPTimeouts = httpTimeouts{
	readHeader: 10 * time.Second,
	read:       30 * time.Second,
	write:      150 * time.Second,
	idle:       2 * time.Minute,
}

func newHTTPServer(h http.Handler, t httpTimeouts, logger *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: t.readHeader,
		ReadTimeout:       t.read,
		WriteTimeout:      t.write,
		IdleTimeout:       t.idle,
		// Timeouts and refused handshakes are the client's doing: logged at
		// debug level, not as server errors.
		ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelDebug),
	}
}

// shutdown stops accepting connections, lets requests in progress (and so their
// turns, which commit even when the client has gone) finish within timeout,
// then closes live WebSockets with a going-away frame so clients reconnect
// elsewhere. The caller closes the engine and store after it.
func shutdown(ctx context.Context, srv *http.Server, api *server.Server, timeout time.Duration, logger *slog.Logger) error {
	logger.Info("shutting down: finishing requests in progress", "timeout", timeout)
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), timeout)
	defer cancel()
	err := srv.Shutdown(shutdownCtx)
	// WebSockets are hijacked connections Shutdown neither waits for nor closes;
	// Close also waits for replies still going out on SMS and email.
	if cerr := api.Close(shutdownCtx); cerr != nil {
		logger.Warn("shutdown", "error", cerr)
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		_ = srv.Close()
		logger.Error("requests still in progress at the shutdown timeout were cut off", "timeout", timeout)
		return fmt.Errorf("shutdown: requests still in progress after %s: %w", timeout, err)
	}
	logger.Info("shut down")
	return nil
}

// conversationSecret signs conversation tokens. It must outlive restarts, or
// every open web chat loses its conversation: PARLEY_SECRET when set (and shared
// by every instance on one database), else a random one kept in the bot's
// .parley folder.
func conversationSecret(dir string) ([]byte, error) {
	if v := os.Getenv("PARLEY_SECRET"); v != "" {
		if len(v) < 32 {
			return nil, &exitError{code: 2, msg: "PARLEY_SECRET must be at least 32 characters"}
		}
		return []byte(v), nil
	}
	path := filepath.Join(dir, ".parley", "secret")
	if b, err := srcfile.Read(path, 4096); err == nil && len(b) >= 32 {
		return b, nil
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("conversation secret: %w", err)
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("conversation secret: %w", err)
	}
	secret := []byte(hex.EncodeToString(b))
	if err := os.WriteFile(path, secret, 0o600); err != nil {
		return nil, fmt.Errorf("conversation secret: %w", err)
	}
	return secret, nil
}

// demoAgent makes sure an agent "demo" (a supervisor, offline until they say
// otherwise in the console, so nothing is routed to them unseen) exists, for
// trying the console on a laptop. Its key is kept in the bot's .parley folder,
// beside the conversation secret, so it is the same on every start (and with
// -database memory, where the agent itself is new each time).
func demoAgent(ctx context.Context, st store.Store, dir string) (string, error) {
	path := filepath.Join(dir, ".parley", "demo-key")
	key := ""
	if b, err := srcfile.Read(path, 4096); err == nil && strings.HasPrefix(strings.TrimSpace(string(b)), "pk_") {
		key = strings.TrimSpace(string(b))
	} else {
		key = server.NewAPIKey()
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return "", fmt.Errorf("demo agent: %w", err)
		}
		if err := os.WriteFile(path, []byte(key+"\n"), 0o600); err != nil {
			return "", fmt.Errorf("demo agent: %w", err)
		}
	}
	hash := store.HashAPIKey(key)
	audit := func(action string) store.AuditEntry {
		detail, _ := json.Marshal(map[string]string{"agent": "demo", "role": store.RoleSupervisor, "why": "parley serve without PARLEY_API_TOKEN: the demo agent for the console"})
		return store.AuditEntry{At: time.Now(), Actor: "system", Action: action, Detail: detail}
	}
	existing, err := st.Agent(ctx, "demo")
	switch {
	case errors.Is(err, store.ErrNotFound):
		_, err = st.CreateAgent(ctx, store.Agent{
			ID: "demo", Name: "Demo Agent", Role: store.RoleSupervisor, Status: store.AgentOffline, KeyHash: hash,
		}, audit("agent.create"))
		if errors.Is(err, store.ErrConflict) {
			err = nil // another instance made it just now
		}
	case err == nil && existing.KeyHash != hash:
		// The key file was removed or replaced: the agent takes the new key, and
		// keeps whatever an admin changed (role, skills, disabled).
		_, err = st.UpdateAgent(ctx, "demo", func(a *store.Agent) (store.AuditEntry, error) {
			a.KeyHash = hash
			return audit("agent.key.rotate"), nil
		})
	}
	if err != nil {
		return "", fmt.Errorf("demo agent: %w", err)
	}
	return key, nil
}

const serveEnvironment = `
Environment:
  PARLEY_API_TOKEN           admin API key (32+ characters); required to serve beyond loopback
  PARLEY_SECRET              signs conversation tokens (32+ characters; default: DIR/.parley/secret)
  PARLEY_DATABASE_URL        the database, as -database (postgres://...?pool_max_conns=N sizes the pool)
  PARLEY_PUBLIC_URL          the scheme and host Twilio posts to (for its signature)
  PARLEY_TWILIO_AUTH_TOKEN   verifies SMS webhooks; with the next two, SMS replies go out
  PARLEY_TWILIO_ACCOUNT_SID
  PARLEY_TWILIO_FROM
  PARLEY_WEBHOOK_SECRET      verifies email and generic webhooks (X-Parley-Signature), signs outbound ones
  PARLEY_WEBHOOK_URL         where generic-channel replies are posted
  PARLEY_IDENTITY_SECRET     verifies the customer identities an embedding site signs (32+ characters)
  PARLEY_SMTP_HOST           email replies (PARLEY_SMTP_PORT, default 587; PARLEY_SMTP_USERNAME and
  PARLEY_SMTP_FROM           PARLEY_SMTP_PASSWORD for AUTH); scheduled reports go out the same way
  PARLEY_POLICY_LABEL        a name for the policies' version, as -label
  PARLEY_OUTBOX_ATTEMPTS     as -outbox-attempts, -outbox-max-backoff and -outbox-lease: how
  PARLEY_OUTBOX_MAX_BACKOFF  replies on SMS, email and webhooks are retried
  PARLEY_OUTBOX_LEASE
  PARLEY_CANDIDATE_LABEL     a name for the candidate's version, as -candidate-label
  PARLEY_PPROF_ADDR          serve Go's profiles (net/http/pprof) on this loopback address
  GOGC, GOMEMLIMIT           the garbage collector's target (default here 400, not Go's 100: less
                             CPU for more memory) and a cap on the heap
`

// configureChannels reads the channel settings from the environment: secrets
// that verify inbound webhooks, and the senders replies go out through.
//
//	PARLEY_PUBLIC_URL          the scheme and host Twilio posts to (for its signature)
//	PARLEY_TWILIO_AUTH_TOKEN   verifies SMS webhooks; with PARLEY_TWILIO_ACCOUNT_SID
//	PARLEY_TWILIO_ACCOUNT_SID  and PARLEY_TWILIO_FROM, also sends SMS replies
//	PARLEY_TWILIO_FROM
//	PARLEY_WEBHOOK_SECRET      verifies email and generic webhooks (X-Parley-Signature), signs outbound ones
//	PARLEY_WEBHOOK_URL         where generic-channel replies are posted
//	PARLEY_IDENTITY_SECRET     verifies the customer identities an embedding site signs
//	PARLEY_SMTP_HOST           sends email replies (PARLEY_SMTP_PORT, default 587;
//	PARLEY_SMTP_FROM           PARLEY_SMTP_USERNAME and PARLEY_SMTP_PASSWORD for AUTH)
func configureChannels(cfg *server.ServerConfig, getenv func(string) string) error {
	cfg.PublicURL = getenv("PARLEY_PUBLIC_URL")
	cfg.TwilioAuthToken = getenv("PARLEY_TWILIO_AUTH_TOKEN")
	cfg.WebhookSecret = getenv("PARLEY_WEBHOOK_SECRET")
	cfg.IdentitySecret = getenv("PARLEY_IDENTITY_SECRET")
	if cfg.IdentitySecret != "" && len(cfg.IdentitySecret) < 32 {
		return &exitError{code: 2, msg: "PARLEY_IDENTITY_SECRET must be at least 32 characters"}
	}
	cfg.Senders = map[string]channels.Sender{}
	if sid, from := getenv("PARLEY_TWILIO_ACCOUNT_SID"), getenv("PARLEY_TWILIO_FROM"); sid != "" || from != "" {
		if sid == "" || from == "" || cfg.TwilioAuthToken == "" {
			return &exitError{code: 2, msg: "SMS replies need PARLEY_TWILIO_ACCOUNT_SID, PARLEY_TWILIO_FROM and PARLEY_TWILIO_AUTH_TOKEN together"}
		}
		cfg.Senders["sms"] = channels.Retrying(&channels.TwilioSender{AccountSID: sid, AuthToken: cfg.TwilioAuthToken, From: from})
	}
	if url := getenv("PARLEY_WEBHOOK_URL"); url != "" {
		cfg.Senders["webhook"] = channels.Retrying(&channels.WebhookSender{URL: url, Secret: cfg.WebhookSecret})
	}
	if host := getenv("PARLEY_SMTP_HOST"); host != "" {
		from := getenv("PARLEY_SMTP_FROM")
		if from == "" {
			return &exitError{code: 2, msg: "email replies need PARLEY_SMTP_FROM (the address they come from) with PARLEY_SMTP_HOST"}
		}
		port := 587
		if p := getenv("PARLEY_SMTP_PORT"); p != "" {
			n, err := strconv.Atoi(p)
			if err != nil || n < 1 || n > 65535 {
				return &exitError{code: 2, msg: fmt.Sprintf("PARLEY_SMTP_PORT=%q is not a port number", p)}
			}
			port = n
		}
		cfg.Senders["email"] = channels.Retrying(&channels.EmailSender{Host: host, Port: port, From: from, UsernameEnv: "PARLEY_SMTP_USERNAME", PasswordEnv: "PARLEY_SMTP_PASSWORD"})
	}
	return nil
}

// reportMailer is the SMTP sender scheduled reports go out through (the same
// settings as email replies); nil when none is configured.
func reportMailer(getenv func(string) string) report.Mailer {
	host, from := getenv("PARLEY_SMTP_HOST"), getenv("PARLEY_SMTP_FROM")
	if host == "" || from == "" {
		return nil
	}
	port, err := strconv.Atoi(getenv("PARLEY_SMTP_PORT"))
	if err != nil {
		port = 587
	}
	return &channels.EmailSender{Host: host, Port: port, From: from, UsernameEnv: "PARLEY_SMTP_USERNAME", PasswordEnv: "PARLEY_SMTP_PASSWORD"}
}

// instanceName names this process in scheduled-report run records.
func instanceName() string {
	host, _ := os.Hostname()
	return fmt.Sprintf("%s:%d:%s", host, os.Getpid(), randomSuffix())
}
