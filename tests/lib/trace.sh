# SPDX-License-Identifier: MIT
# Which names a run gives files, from strace.
#   trace_names TRACE CMD...   runs CMD under strace, logging into TRACE every
#                              call that can make a name (open with O_CREAT,
#                              link, rename)
#   names_made DIR TRACE       every name such a call gave a file directly in
#                              DIR, one a line

# (LeakSanitizer cannot run under ptrace: a sanitizer build's leak check is
# left to the runs that are not traced.)
trace_names() {
	local trace=$1; shift
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		strace -f -qq -o "$trace" -e trace=open,openat,creat,link,linkat,rename,renameat,renameat2 "$@"
}

names_made() {
	"$PYTHON" - "$1" "$2" <<'PY'
import os, re, sys
d, trace = os.path.realpath(sys.argv[1]), sys.argv[2]
for line in open(trace):
    m = re.search(r'\b(open|openat|creat|link|linkat|rename|renameat|renameat2)\(', line)
    if not m:
        continue
    paths = re.findall(r'"((?:[^"\\]|\\.)*)"', line)
    if not paths:
        continue
    if m.group(1).startswith(('open', 'creat')):
        if 'O_CREAT' not in line and m.group(1) != 'creat':
            continue
        p = paths[0]
    else:
        p = paths[-1]
    if os.path.dirname(p) == d:
        print(os.path.basename(p))
PY
}
