import { getDomain, getDomainWithoutSuffix, getHostname } from 'tldts';
import { nameKeys } from '../fingerprint/selfDescription.js';
import type { PageFingerprint, SelfHost, SelfName } from '../fingerprint/types.js';
import { OWN_DOMAIN_WEIGHT, SELF_NAME_WEIGHT } from './evidenceWeights.js';
import type { ReferencePage, SiteRecord } from './referenceSet.js';
import type { Evidence } from './types.js';

/**
 * Brand and own-domain evidence: a page's own names compared with each blocked site's names, and
 * the hosts it points at compared with each site's known domains. Everything a site is known by
 * comes from its record (name, id, known domains) and its reference pages (their brand strings,
 * their canonical and captured URLs, the sister hosts they link to that carry the site's brand
 * label); nothing here names a site. A name or a host shared by two sites says nothing about
 * either, so it is dropped.
 */

/** Labels shorter than this ("tpb", "kat") sit inside too many unrelated host names. */
const MIN_HOST_LABEL = 4;
/** Hosts named in one own-domain evidence item; the rest are counted. */
const HOSTS_SHOWN = 3;

function stripWww(host: string): string {
  return host.startsWith('www.') ? host.slice(4) : host;
}

function addTo(map: Map<string, Set<string>>, key: string, site: string): void {
  const s = map.get(key) ?? new Set<string>();
  s.add(site);
  map.set(key, s);
}

/** Keep only keys that point at one site. */
function unique(map: Map<string, Set<string>>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, sites] of map) if (sites.size === 1) out.set(k, [...sites][0]!);
  return out;
}

export class SiteSelfKnowledge {
  /** comparable name key -> site */
  private readonly names: Map<string, string>;
  /** known host (www. dropped) -> site; a host matches itself and its subdomains */
  private readonly hosts: Map<string, string>;
  /** a known domain's label ("thepiratebay" of thepiratebay.org) -> site, for proxy-rewritten hosts */
  private readonly labels: Map<string, string>;
  private readonly siteNames = new Map<string, string>();

  constructor(sites: readonly SiteRecord[], references: readonly ReferencePage[]) {
    const names = new Map<string, Set<string>>();
    const hosts = new Map<string, Set<string>>();
    const labels = new Map<string, Set<string>>();
    const addHost = (raw: string, site: string): void => {
      const host = stripWww(raw.toLowerCase().replace(/\.$/, ''));
      if (!host.includes('.')) return;
      addTo(hosts, host, site);
      // only a registrable domain's label is the site's name: in kat.proxy.tld the label is the proxy's
      if (getDomain(host) !== host) return;
      const label = getDomainWithoutSuffix(host);
      if (label && label.length >= MIN_HOST_LABEL) addTo(labels, label, site);
    };
    for (const site of sites) {
      this.siteNames.set(site.id, site.name);
      for (const k of [...nameKeys(site.name), ...nameKeys(site.id)]) addTo(names, k, site.id);
      for (const { domain } of site.domains) addHost(domain, site.id);
    }
    // A brand string on every one of a site's reference pages is what the site calls itself; one
    // seen on some pages only is as likely a button or an ad ("Direct Download").
    const brandPages = new Map<string, Map<string, number>>();
    const okPages = new Map<string, number>();
    for (const ref of references) {
      if (ref.fingerprint.pageKind !== 'ok') continue;
      okPages.set(ref.site, (okPages.get(ref.site) ?? 0) + 1);
      const perSite = brandPages.get(ref.site) ?? new Map<string, number>();
      for (const value of new Set(ref.fingerprint.identifiers.filter((id) => id.kind === 'brand').map((id) => id.value))) perSite.set(value, (perSite.get(value) ?? 0) + 1);
      brandPages.set(ref.site, perSite);
    }
    for (const [site, perSite] of brandPages) for (const [value, n] of perSite) if (n === okPages.get(site) && value.length >= 3) addTo(names, value, site);
    for (const ref of references) {
      if (ref.fingerprint.pageKind !== 'ok') continue;
      for (const url of [ref.fingerprint.canonicalUrl, ref.capturedUrl]) {
        const host = url ? getHostname(url.startsWith('//') ? `https:${url}` : url) : null;
        if (host) addHost(host, ref.site);
      }
    }
    // domain labels are names too ("limetorrents" of limetorrents.cc)
    for (const [label, sites] of labels) for (const s of sites) for (const k of nameKeys(label)) addTo(names, k, s);
    // A reference page's links to hosts carrying the site's own label are the mirror list the
    // site publishes about itself (extratorrentonline.com beside extratorrent.cc).
    const ownLabels = unique(labels);
    for (const ref of references) {
      if (ref.fingerprint.pageKind !== 'ok') continue;
      for (const h of ref.fingerprint.selfDescription?.hosts ?? []) {
        const label = getDomainWithoutSuffix(h.host);
        if (!label) continue;
        for (const [own, site] of ownLabels) if (site === ref.site && label.includes(own)) addHost(h.host, site);
      }
    }
    this.names = unique(names);
    this.hosts = unique(hosts);
    this.labels = unique(labels);
  }

  /** The site a host belongs to: a known host or a subdomain of one. */
  private hostSite(host: string): string | null {
    let h = stripWww(host);
    for (let i = 0; i < 8 && h.includes('.'); i++) {
      const site = this.hosts.get(h);
      if (site) return site;
      h = h.slice(h.indexOf('.') + 1);
    }
    return null;
  }

  /**
   * A proxy rewrites `thepiratebay.org` as `thepiratebay.org.proxy.tld`, `thepiratebay-org.proxy.tld`
   * or `thepiratebay.proxy.tld`: what precedes the proxy's own registrable domain names the site.
   */
  private rewrittenSite(host: string): string | null {
    const registrable = getDomain(host);
    if (!registrable || registrable === host) return null;
    const prefix = stripWww(host.slice(0, host.length - registrable.length - 1));
    if (!prefix) return null;
    // dots written as dashes: all of them, or only the last (names may have dashes of their own)
    const lastDash = prefix.lastIndexOf('-');
    const lastDashAsDot = lastDash > 0 ? `${prefix.slice(0, lastDash)}.${prefix.slice(lastDash + 1)}` : prefix;
    const asHost = this.hostSite(prefix) ?? this.hostSite(lastDashAsDot) ?? this.hostSite(prefix.replaceAll('-', '.'));
    if (asHost) return asHost;
    const lastLabel = prefix.split('.').pop()!;
    return this.labels.get(lastLabel) ?? null;
  }

  /**
   * Sites move by keeping their name and changing the suffix (thepiratebay.la → thepiratebay.org):
   * a registrable domain whose label is one site's known label is that site's, under a new suffix.
   */
  private swappedSuffixSite(host: string): string | null {
    const registrable = getDomain(host);
    const label = registrable ? getDomainWithoutSuffix(registrable) : null;
    return label ? (this.labels.get(label) ?? null) : null;
  }

  /** Brand and own-domain evidence per site for one page. */
  evidence(fp: PageFingerprint): Map<string, Evidence[]> {
    const out = new Map<string, Evidence[]>();
    const self = fp.selfDescription;
    if (!self) return out;
    const push = (site: string, e: Evidence): void => {
      const list = out.get(site) ?? [];
      list.push(e);
      out.set(site, list);
    };

    // The page's explicit declaration (og:site_name, application-name) outranks names read from
    // its title or images: when it names something else, those names are its subject, not itself.
    const declared = self.names.filter((n) => n.slot === 'og:site_name' || n.slot === 'application-name');
    const declaredSites = new Set(declared.flatMap((n) => this.sitesOf(n)));
    const bySite = new Map<string, SelfName[]>();
    for (const n of self.names) {
      for (const site of this.sitesOf(n)) {
        if (declared.length > 0 && !declaredSites.has(site)) continue;
        const list = bySite.get(site) ?? [];
        if (!list.some((x) => x.slot === n.slot)) list.push(n);
        bySite.set(site, list);
      }
    }
    for (const [site, names] of bySite) {
      for (const n of names.slice(0, 3)) {
        push(site, { feature: `brand:${n.slot}`, matched: `the page calls itself "${n.text}" (${n.slot}), a name of ${this.siteNames.get(site) ?? site}`, weight: SELF_NAME_WEIGHT });
      }
    }

    const ownHosts = new Map<string, SelfHost[]>();
    const how = new Map<string, string>();
    for (const h of self.hosts) {
      let site = this.hostSite(h.host);
      if (!site) {
        site = this.rewrittenSite(h.host);
        if (site) how.set(h.host, 'proxy-rewritten');
      }
      if (!site) {
        site = this.swappedSuffixSite(h.host);
        if (site) how.set(h.host, 'a known name under another suffix');
      }
      if (!site) continue;
      const list = ownHosts.get(site) ?? [];
      list.push(h);
      ownHosts.set(site, list);
    }
    for (const [site, hosts] of ownHosts) {
      // the page's own URL first: a canonical naming the site is the strongest of these claims
      const sorted = [...hosts].sort((a, b) => (a.via === 'link' ? 1 : 0) - (b.via === 'link' ? 1 : 0));
      const shown = sorted.slice(0, HOSTS_SHOWN).map((h) => `${h.host}${h.via === 'link' ? '' : ` (${h.via})`}${how.has(h.host) ? ` (${how.get(h.host)})` : ''}`);
      const more = hosts.length > HOSTS_SHOWN ? ` and ${hosts.length - HOSTS_SHOWN} more` : '';
      push(site, { feature: 'own-domain', matched: `points at ${shown.join(', ')}${more}: known domains of ${this.siteNames.get(site) ?? site}`, weight: OWN_DOMAIN_WEIGHT });
    }
    return out;
  }

  private sitesOf(n: SelfName): string[] {
    const sites = new Set<string>();
    for (const k of nameKeys(n.text)) {
      const s = this.names.get(k);
      if (s) sites.add(s);
    }
    return [...sites];
  }
}
