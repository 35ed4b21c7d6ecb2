//! Self-signed certificates shaped like PBS's own `proxy.pem`: a CA:FALSE leaf for
//! serverAuth with SANs `127.0.0.1`, `::1`, `localhost` and the node name, valid for a
//! very long time. Generated at start; the PEM is written for Caddy to pin
//! (`tls_trust_pool file <pem>` + `tls_server_name <node>`).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::path::Path;
use std::sync::Arc;

use rcgen::{
    CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose, SanType,
};
use rustls::ServerConfig;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A generated certificate and the rustls configuration serving it.
pub struct Cert {
    /// PEM of the certificate (what Caddy pins).
    pub pem: String,
    /// The server configuration.
    pub config: Arc<ServerConfig>,
}

/// Generates a PBS-style certificate for `node` and writes its PEM to `pem_path`.
pub fn generate(node: &str, organization: &str, pem_path: &Path) -> Result<Cert, String> {
    let mut params = CertificateParams::new(vec!["localhost".to_owned(), node.to_owned()])
        .map_err(|e| format!("certificate parameters: {e}"))?;
    params
        .subject_alt_names
        .push(SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST)));
    params
        .subject_alt_names
        .push(SanType::IpAddress(IpAddr::V6(Ipv6Addr::LOCALHOST)));
    let mut dn = DistinguishedName::new();
    dn.push(DnType::OrganizationName, organization);
    dn.push(DnType::OrganizationalUnitName, "backwatch-sim");
    dn.push(DnType::CommonName, node);
    params.distinguished_name = dn;
    params.is_ca = IsCa::ExplicitNoCa;
    params.key_usages = vec![
        KeyUsagePurpose::DigitalSignature,
        KeyUsagePurpose::KeyEncipherment,
    ];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    params.not_before = rcgen::date_time_ymd(2020, 1, 1);
    // PBS: valid for 1000 years.
    params.not_after = rcgen::date_time_ymd(3020, 1, 1);
    let key = KeyPair::generate().map_err(|e| format!("key generation: {e}"))?;
    let cert = params
        .self_signed(&key)
        .map_err(|e| format!("self-signing: {e}"))?;
    let pem = cert.pem();
    std::fs::write(pem_path, &pem).map_err(|e| format!("{}: {e}", pem_path.display()))?;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("tls versions: {e}"))?
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from(cert.der().to_vec())],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der())),
        )
        .map_err(|e| format!("tls config: {e}"))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Cert {
        pem,
        config: Arc::new(config),
    })
}
