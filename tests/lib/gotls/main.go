// SPDX-License-Identifier: MIT

// gotls is the test world's "Go program": an SMTP client built on crypto/tls
// alone, standing for the Go mail software anchorsync's roots must reach. It
// connects to HOST:PORT, says EHLO, upgrades with STARTTLS (or speaks TLS at
// once with -implicit), verifies the server as Go does and says QUIT.
//
//	gotls -ca FILE [-name NAME] [-implicit] HOST:PORT
//	    trusts only the certificates in the PEM file FILE (a program reading
//	    an exported PEM file: x509.NewCertPool + AppendCertsFromPEM)
//	gotls -system [-name NAME] [-implicit] HOST:PORT
//	    trusts Go's system pool, which honours SSL_CERT_FILE and SSL_CERT_DIR
//	gotls (-ca FILE | -system) -daemon [-name NAME] [-implicit]
//	    a long-running program: loads its pool once, at start, then for each
//	    HOST:PORT line read on stdin connects and prints one line, "verified"
//	    or Go's error, until stdin ends
//
// It prints "verified" and exits 0, or prints Go's error and exits 1 (2 for a
// usage error or a FILE with no certificate). NAME (default: HOST) is the
// name verified and sent as SNI.
package main

import (
	"bufio"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"strings"
	"time"
)

func main() {
	caFile := flag.String("ca", "", "trust only the certificates in this PEM file")
	system := flag.Bool("system", false, "trust the system pool (SSL_CERT_FILE, SSL_CERT_DIR)")
	name := flag.String("name", "", "the server name to verify (default: the host)")
	implicit := flag.Bool("implicit", false, "TLS from the first byte (smtps) instead of STARTTLS")
	timeout := flag.Duration("timeout", 10*time.Second, "deadline for the whole dialogue")
	daemon := flag.Bool("daemon", false, "serve HOST:PORT lines from stdin with the pool loaded at start")
	flag.Parse()
	if flag.NArg() != 1 && !(*daemon && flag.NArg() == 0) || (*caFile == "") == !*system {
		fmt.Fprintln(os.Stderr, "usage: gotls (-ca FILE | -system) [-name NAME] [-implicit] (HOST:PORT | -daemon)")
		os.Exit(2)
	}
	addr := flag.Arg(0)
	if *name == "" && !*daemon {
		host, _, err := net.SplitHostPort(addr)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		*name = host
	}
	conf := &tls.Config{ServerName: *name, MinVersion: tls.VersionTLS12}
	if *caFile != "" {
		pem, err := os.ReadFile(*caFile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			fmt.Fprintf(os.Stderr, "%s: no PEM certificate\n", *caFile)
			os.Exit(2)
		}
		conf.RootCAs = pool
	} else {
		pool, err := x509.SystemCertPool()
		if err != nil {
			fmt.Println(err)
			os.Exit(1)
		}
		conf.RootCAs = pool
	}
	if *daemon {
		in := bufio.NewScanner(os.Stdin)
		for in.Scan() {
			if err := dialogue(strings.TrimSpace(in.Text()), conf, *implicit, *timeout); err != nil {
				fmt.Println(err)
			} else {
				fmt.Println("verified")
			}
		}
		return
	}
	if err := dialogue(addr, conf, *implicit, *timeout); err != nil {
		fmt.Println(err)
		os.Exit(1)
	}
	fmt.Println("verified")
}

// reply reads one SMTP reply (every line of it) and checks its code.
func reply(r *bufio.Reader, want string) error {
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return fmt.Errorf("reading the server's reply: %w", err)
		}
		if len(line) < 4 || line[:3] != want {
			return fmt.Errorf("unexpected reply: %s", strings.TrimRight(line, "\r\n"))
		}
		if line[3] == ' ' {
			return nil
		}
	}
}

func command(c net.Conn, r *bufio.Reader, cmd, want string) error {
	if _, err := fmt.Fprintf(c, "%s\r\n", cmd); err != nil {
		return err
	}
	return reply(r, want)
}

func dialogue(addr string, conf *tls.Config, implicit bool, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	raw, err := net.DialTimeout("tcp", addr, timeout)
	if err != nil {
		return err
	}
	defer raw.Close()
	raw.SetDeadline(deadline)
	var c net.Conn = raw
	if implicit {
		tc := tls.Client(raw, conf)
		if err := tc.Handshake(); err != nil {
			return err
		}
		c = tc
	}
	r := bufio.NewReader(c)
	if err := reply(r, "220"); err != nil {
		return err
	}
	if err := command(c, r, "EHLO gotls.anchorsync.test", "250"); err != nil {
		return err
	}
	if !implicit {
		if err := command(c, r, "STARTTLS", "220"); err != nil {
			return err
		}
		tc := tls.Client(raw, conf)
		if err := tc.Handshake(); err != nil {
			return err
		}
		c = tc
		r = bufio.NewReader(c)
		if err := command(c, r, "EHLO gotls.anchorsync.test", "250"); err != nil {
			return err
		}
	}
	if err := command(c, r, "QUIT", "221"); err != nil && !errors.Is(err, net.ErrClosed) {
		return err
	}
	return nil
}
