import EvidenceVault
import Foundation

/// Where the files of a sealed package go, one after another, each begun, written and ended.
public protocol SealedPackageSink: AnyObject {
  /// Starts the file at `path`, relative to the package's top (`exhibits/01-photo.jpg`, `manifest.json`).
  func beginFile(_ path: String) throws
  func write(_ bytes: UnsafeRawBufferPointer) throws
  func endFile() throws
}

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
    let zip = ZipStreamWriter(date: builder.model.producedAt, sink: sink)
    let summary = try writeSealed(builder, vault: vault, into: ZipMembers(zip: zip, top: top))
    try zip.finish()
    return summary
  }

  /// Writes the package's files one by one into `sink` (for example each into its own age file).
  ///
  /// The same files and checks as the zip form above.
  public static func writeSealed(
    _ builder: DossierBuilder, vault: Vault, into sink: some SealedPackageSink
  ) throws -> Summary {
    try checkExportable(vault, salvage: false)
    let model = builder.model
    var files: [Manifest.File] = []
    func addFile(_ path: String, _ bytes: [UInt8]) throws {
      try sink.beginFile(path)
      try bytes.withUnsafeBytes { try sink.write($0) }
      try sink.endFile()
    }
    for file in builder.exhibitFiles {
      guard let exhibit = model.exhibits.first(where: { $0.fileName == file.fileName }) else { continue }
      try sink.beginFile(file.fileName)
      var failure: (any Error)?
      try vault.streamExhibit(file.label) { bytes throws(VaultError) in
        do { try sink.write(bytes) } catch {
          failure = error
          throw VaultError(.fileSystem, "The sealed export could not be written.")
        }
      }
      if let failure { throw failure }
      try sink.endFile()
      files.append(Manifest.File(path: file.fileName, size: exhibit.size, sha256: exhibit.sha256))
    }
    let dossier = Array(DossierText.render(model).utf8)
    let records = try encode(recordsFile(builder, vault: vault))
    try addFile("dossier.txt", dossier)
    try addFile("records.json", records)
    files.append(Manifest.File(path: "dossier.txt", size: Int64(dossier.count), sha256: ExportCrypto.sha256(dossier)))
    files.append(Manifest.File(path: "records.json", size: Int64(records.count), sha256: ExportCrypto.sha256(records)))
    for (path, bytes) in handCheckFiles(vault: vault) {
      try addFile(path, bytes)
      files.append(Manifest.File(path: path, size: Int64(bytes.count), sha256: ExportCrypto.sha256(bytes)))
    }
    let sums = sumsFile(files)
    try addFile(sumsName, sums.bytes)
    files.append(sums.file)
    files.sort { $0.path < $1.path }
    let manifest = makeManifest(builder, vault: vault, model: model, files: files)
    let manifestBytes = try encode(manifest)
    try addFile("manifest.json", manifestBytes)
    try addFile("manifest.sig", signature(of: manifestBytes, vault: vault))
    return Summary(
      files: files.count + 2, exhibits: builder.exhibitFiles.count, includedRecords: manifest.includedRecords,
      withheldRecords: manifest.withheldRecords, problems: [])
  }
}

/// The files of a sealed package as members of a zip, under one top folder.
private final class ZipMembers: SealedPackageSink {
  let zip: ZipStreamWriter
  let top: String

  init(zip: ZipStreamWriter, top: String) {
    self.zip = zip
    self.top = top
  }

  func beginFile(_ path: String) throws { try zip.beginFile("\(top)/\(path)") }
  func write(_ bytes: UnsafeRawBufferPointer) throws { try zip.write(bytes) }
  func endFile() throws { try zip.endFile() }
}
