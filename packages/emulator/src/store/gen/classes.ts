/**
 * The 49 signature classes PT NAD ships (titles and priorities recorded from a real appliance, §11). The Snort
 * classtype names are partly standard Snort/ET ones and partly a GUESS for PT's own classes.
 */
import type { ClassRecord } from '../types.js';

const CLASSES: ReadonlyArray<readonly [string, string, number]> = [
  ['not-suspicious', 'Not suspicious traffic', 3],
  ['unknown', 'Unknown traffic', 3],
  ['bad-unknown', 'Potentially bad traffic', 2],
  ['attempted-recon', 'Information leak attempt', 2],
  ['attempted-dos', 'DoS attack attempt', 2],
  ['attempted-user', 'Attempt to gain user privileges', 2],
  ['attempted-admin', 'Attempt to gain administrator privileges', 2],
  ['rpc-portmap-decode', 'RPC query decoding', 2],
  ['shellcode-detect', 'Executable code', 1],
  ['string-detect', 'Suspicious string', 3],
  ['unusual-client-port-connection', 'Unusual port used by a client', 2],
  ['network-scan', 'Network scan', 3],
  ['denial-of-service', 'DoS attack', 2],
  ['non-standard-protocol', 'Non-standard protocol or event', 2],
  ['protocol-command-decode', 'Generic protocol command decoding', 3],
  ['possible-malware', 'Possible malware activity', 2],
  ['successful-recon-limited', 'Information leak', 2],
  ['successful-recon-largescale', 'Large-scale information leak', 2],
  ['successful-dos', 'Successful DoS attack', 2],
  ['unsuccessful-user', 'Unsuccessful user privilege gain', 2],
  ['successful-user', 'Successful user privilege gain', 1],
  ['successful-admin', 'Successful administrator privilege gain', 1],
  ['web-application-activity', 'Access to a potentially vulnerable web application', 2],
  ['credential-theft', 'Successful credential theft', 1],
  ['social-engineering', 'Social engineering attempt', 2],
  ['coin-mining', 'Crypto currency mining activity', 2],
  ['command-and-control', 'Malware command and control activity', 1],
  ['tunneling', 'Tunneling traffic', 1],
  ['malicious-redirect', 'Malicious redirect', 2],
  ['suspicious-filename-detect', 'Suspicious file name', 2],
  ['suspicious-login', 'Attempt to sign in with a suspicious account', 2],
  ['system-call-detect', 'System call', 2],
  ['tcp-connection', 'TCP connection', 4],
  ['trojan-activity', 'Network trojan', 1],
  ['web-application-attack', 'Web application attack', 2],
  ['misc-activity', 'Misc. activity', 3],
  ['misc-attack', 'Misc. attacks', 2],
  ['icmp-event', 'Generic ICMP event', 3],
  ['inappropriate-content', 'Inappropriate content', 1],
  ['policy-violation', 'Potential corporate privacy violation', 2],
  ['default-login-attempt', 'Attempt to sign in with default account', 2],
  ['exploitation-attributes', 'Exploitation attributes', 1],
  ['ad-exploitation-attributes', 'Active Directory exploitation attributes', 1],
  ['ad-suspicious-activity', 'Suspicious Active Directory activity', 2],
  ['targeted-activity', 'Targeted malicious activity', 1],
  ['exploit-kit', 'Exploit kit activity', 1],
  ['external-ip-check', 'Device retrieval of external IP address', 2],
  ['domain-c2', 'Domain used for command and control', 1],
  ['pup-activity', 'Possibly unwanted program', 2],
];

/** The 49 classes, in PT NAD's order. */
export function generateClasses(): ClassRecord[] {
  return CLASSES.map(([name, title, priority]) => ({ name, title, priority }));
}
