# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""CLI configuration scripts shared by the CLI library's unit tests and its tests against the simulator."""
from __future__ import annotations

# as docs/simulator-config.md shows it: sub-modes, rows, a row nested in another, a row naming another one
WANTED = """\
configure system
 ntp
  primary-server "pool.ntp.org"
  activate
 exit
exit
configure network
 tls 1
  name "teams"
  activate
 exit
exit
configure voip
 sbc settings
  sbc-session-expires 600
  activate
 exit
 proxy-set 1
  proxy-name "ITSP"
  proxy-enable-keep-alive using-options
  activate
  proxy-ip 0
   proxy-address "10.0.0.1:5060"
   transport-type tcp
   activate
  exit
 exit
 ip-group 1
  name "Teams"
  proxy-set-name "ITSP"
  activate
 exit
exit
configure troubleshoot
 syslog
  syslog on
  syslog-ip 10.1.1.1
  activate
 exit
exit
"""
