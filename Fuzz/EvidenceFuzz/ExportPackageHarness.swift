import EvidenceReport

/// The export-package verifier (`evidence verify-export`) over one dossier.zip: the zip's central directory and
/// members (ZipReader), the manifest, its signature, records.json, the chain and the remade dossier.
enum ExportPackageHarness {
  static func run(_ bytes: UnsafeRawBufferPointer) {
    let url = FuzzInput.file(bytes, named: "dossier.zip")
    _ = PackageVerifier.verify(url)
  }
}
