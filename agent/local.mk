# SPDX-License-Identifier: MIT
# The agent, in rooms that point one way:
#   state   the files in [agent] state_dir: lock, manifest, last run
#   source  fetching the bundle, parsing and authenticating it (pins, signatures)
#   store   the OS trust store: plan, apply, the effect check
#   apps    application trust views (Postfix, exported files)
#   verify  delivery checks with anchorsync's anchors (over delivery/)
#   publish the publisher's side: signing a bundle
#   cmd     the commands and main: the only room that sees them all
# Each room is a convenience library whose include path reaches only the rooms
# it may use (tests/layers.sh checks every #include against that).
AGENT_STATE_CPPFLAGS = $(CONF_CPPFLAGS) -I$(top_srcdir)/agent/state
AGENT_SOURCE_CPPFLAGS = $(AGENT_STATE_CPPFLAGS) -I$(top_srcdir)/agent/source
AGENT_STORE_CPPFLAGS = $(AGENT_SOURCE_CPPFLAGS) -I$(top_srcdir)/agent/store
AGENT_APPS_CPPFLAGS = $(AGENT_STORE_CPPFLAGS) -I$(top_srcdir)/delivery \
	-I$(top_srcdir)/agent/apps
AGENT_VERIFY_CPPFLAGS = $(AGENT_STORE_CPPFLAGS) -I$(top_srcdir)/delivery \
	-I$(top_srcdir)/agent/verify
AGENT_PUBLISH_CPPFLAGS = $(AGENT_SOURCE_CPPFLAGS) -I$(top_srcdir)/agent/publish

noinst_LIBRARIES += libagent_state.a libagent_source.a libagent_store.a \
	libagent_apps.a libagent_verify.a libagent_publish.a libagent_cmd.a

libagent_state_a_CPPFLAGS = $(AGENT_STATE_CPPFLAGS)
libagent_state_a_SOURCES = \
	agent/state/state_files.h \
	agent/state/lock.c agent/state/lock.h \
	agent/state/manifest.c agent/state/manifest.h \
	agent/state/record.c agent/state/record.h

libagent_source_a_CPPFLAGS = $(AGENT_SOURCE_CPPFLAGS)
libagent_source_a_SOURCES = \
	agent/source/fetch.c agent/source/fetch.h \
	agent/source/fetch_select.c agent/source/fetch_select.h \
	agent/source/fetch_frame.c agent/source/fetch_frame.h \
	agent/source/bundle.c agent/source/bundle.h \
	agent/source/signed_bundle.c agent/source/signed_bundle.h \
	agent/source/trustchain.c agent/source/trustchain.h

libagent_store_a_CPPFLAGS = $(AGENT_STORE_CPPFLAGS)
libagent_store_a_SOURCES = \
	agent/store/plan.c agent/store/plan.h \
	agent/store/apply.c agent/store/apply.h \
	agent/store/store.c agent/store/store.h \
	agent/store/store_effect.c agent/store/store_effect.h \
	agent/store/store_source.c agent/store/store_source.h \
	agent/store/linkset.c agent/store/linkset.h

libagent_apps_a_CPPFLAGS = $(AGENT_APPS_CPPFLAGS)
libagent_apps_a_SOURCES = \
	agent/apps/apps.c agent/apps/apps.h \
	agent/apps/app_files.c agent/apps/app_files.h \
	agent/apps/app_owned.c agent/apps/app_owned.h \
	agent/apps/app_paths.c agent/apps/app_paths.h \
	agent/apps/app_report.c \
	agent/apps/app_state.c agent/apps/app_state.h \
	agent/apps/app_view.c \
	agent/apps/postconf.c agent/apps/postconf.h \
	agent/apps/postfix.c agent/apps/postfix.h

libagent_verify_a_CPPFLAGS = $(AGENT_VERIFY_CPPFLAGS)
libagent_verify_a_SOURCES = agent/verify/verify.c agent/verify/verify.h \
	agent/verify/verify_child.c agent/verify/verify_child.h

libagent_publish_a_CPPFLAGS = $(AGENT_PUBLISH_CPPFLAGS)
libagent_publish_a_SOURCES = agent/publish/signer.c agent/publish/signer.h

libagent_cmd_a_CPPFLAGS = $(AM_CPPFLAGS)
libagent_cmd_a_SOURCES = \
	agent/cmd/cli.c agent/cmd/cli.h \
	agent/cmd/report.c agent/cmd/report.h \
	agent/cmd/cmd_refresh.c \
	agent/cmd/verify_views.c agent/cmd/verify_views.h \
	agent/cmd/refresh_delivery.c agent/cmd/refresh_delivery.h \
	agent/cmd/cmd_verify.c \
	agent/cmd/cmd_status.c \
	agent/cmd/cmd_fingerprint.c \
	agent/cmd/cmd_remove.c \
	agent/cmd/cmd_check_config.c \
	agent/cmd/cmd_sign.c

sbin_PROGRAMS += anchorsync
anchorsync_SOURCES = agent/cmd/main.c
anchorsync_LDADD = $(LDADD_CORE)
