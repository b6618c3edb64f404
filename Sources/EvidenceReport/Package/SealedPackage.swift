import EvidenceVault
import Foundation

extension EvidencePackage {
  /// Writes the package as a zip archive straight into `sink` (an age encryptor): nothing of it is written to disk.
  ///
  /// The files are those of `write`, under the top folder `top`, with the dossier as text only (the PDF is drawn
  /// from exhibit files on disk, which a sealed export does not make). Exhibits are streamed from the vault and
  /// checked against their SHA-256 at their end; a damaged one stops the export (the caller discards the output).
  /// - Throws: `vaultDamaged` (a damaged vault or exhibit), what `sink` throws, or that the archive would reach 4 GiB.
  public static func writeSealed(
    _ builder: DossierBuilder, vault: Vault, top: String, into sink: @escaping (UnsafeRawBufferPointer) throws -> Void
  ) throws -> Summary {
    try checkExportable(vault, salvage: false)
    let model = builder.model
    let zip = ZipStreamWriter(date: model.producedAt, sink: sink)
    var files: [Manifest.File] = []
    for file in builder.exhibitFiles {
      guard let exhibit = model.exhibits.first(where: { $0.fileName == file.fileName }) else { continue }
      try zip.beginFile("\(top)/\(file.fileName)")
      var failure: (any Error)?
      try vault.streamExhibit(file.label) { bytes throws(VaultError) in
        do { try zip.write(bytes) } catch {
          failure = error
          throw VaultError(.fileSystem, "The sealed export could not be written.")
        }
      }
      if let failure { throw failure }
      try zip.endFile()
      files.append(Manifest.File(path: file.fileName, size: exhibit.size, sha256: exhibit.sha256))
    }
    let dossier = Array(DossierText.render(model).utf8)
    let records = try encode(recordsFile(builder, vault: vault))
    try zip.addFile("\(top)/dossier.txt", dossier)
    try zip.addFile("\(top)/records.json", records)
    files.append(Manifest.File(path: "dossier.txt", size: Int64(dossier.count), sha256: ExportCrypto.sha256(dossier)))
    files.append(Manifest.File(path: "records.json", size: Int64(records.count), sha256: ExportCrypto.sha256(records)))
    files.sort { $0.path < $1.path }
    let manifest = makeManifest(builder, vault: vault, model: model, files: files)
    let manifestBytes = try encode(manifest)
    try zip.addFile("\(top)/manifest.json", manifestBytes)
    try zip.addFile("\(top)/manifest.sig", signature(of: manifestBytes, vault: vault))
    try zip.finish()
    return Summary(
      files: files.count + 2, exhibits: builder.exhibitFiles.count, includedRecords: manifest.includedRecords,
      withheldRecords: manifest.withheldRecords, problems: [])
  }
}
