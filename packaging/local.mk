# SPDX-License-Identifier: MIT
# Scheduling units, man pages and package recipes.
#
# make install puts the man pages in $(mandir), the systemd units in
# $(systemdsystemunitdir) (configure --with-systemdsystemunitdir; the .deb takes
# the release's systemd.pc, the RPM %{_unitdir}) and the cron job in
# $(sysconfdir)/cron.d, the Prometheus rules for a fleet with the documentation
# ($(docdir): /usr/share/doc/anchorsync/anchorsync.rules.yml).
dist_man_MANS = packaging/man/anchorsync.8 packaging/man/anchorsync.conf.5

systemdsystemunit_DATA = packaging/systemd/anchorsync.service
dist_systemdsystemunit_DATA = packaging/systemd/anchorsync.timer

dist_doc_DATA = packaging/prometheus/anchorsync.rules.yml

crondir = $(sysconfdir)/cron.d
cron_DATA = packaging/cron.d/anchorsync

# The unit and the cron job name the installed program and state directory.
packaging_subst = sed -e 's|@sbindir[@]|$(sbindir)|g' -e 's|@statedir[@]|$(statedir)|g'

packaging/systemd/anchorsync.service: $(srcdir)/packaging/systemd/anchorsync.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && $(packaging_subst) $(srcdir)/packaging/systemd/anchorsync.service.in >$@.tmp && mv $@.tmp $@

packaging/cron.d/anchorsync: $(srcdir)/packaging/cron.d/anchorsync.in Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && $(packaging_subst) $(srcdir)/packaging/cron.d/anchorsync.in >$@.tmp && mv $@.tmp $@

CLEANFILES += packaging/systemd/anchorsync.service packaging/cron.d/anchorsync

# Package recipes travel in the tarball; packaging/build-packages.sh builds both
# packages from it.
EXTRA_DIST += \
	packaging/systemd/anchorsync.service.in \
	packaging/cron.d/anchorsync.in \
	packaging/README.md \
	packaging/build-packages.sh \
	packaging/rpm/anchorsync.spec \
	packaging/debian/changelog \
	packaging/debian/control \
	packaging/debian/copyright \
	packaging/debian/rules \
	packaging/debian/source/format \
	packaging/debian/anchorsync.dirs \
	packaging/debian/anchorsync.postinst \
	packaging/debian/anchorsync.postrm \
	packaging/debian/anchorsync.lintian-overrides \
	packaging/debian/anchorsync.README.Debian
