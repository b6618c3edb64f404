import EvidenceReport
import EvidenceVault
import Foundation

/// Exporting 10,000 incidents with 50,000 messages: building the dossier, rendering it, writing the package.
func runExportBench(quick: Bool, root: URL) throws {
  let incidentCount = quick ? 1_000 : 10_000
  let messageCount = quick ? 5_000 : 50_000
  let folder = root.appendingPathComponent("export-vault")
  let vault = try Vault.create(at: folder, passphrase: passphrase(), strength: .interactive)
  var made = 0
  while made < incidentCount {
    let batch = min(5_000, incidentCount - made)
    try vault.addEntries((made..<(made + batch)).map(entry))
    made += batch
  }
  let source = root.appendingPathComponent("export-source.txt")
  try Data("generated".utf8).write(to: source)
  let entryIds = vault.index.entries.map(\.original.stamp.id)
  _ = try vault.importMessages(from: source) { session in
    for number in 0..<messageCount {
      var message = Message(
        channel: .sms, direction: .received,
        from: Message.Party(address: "+4670\(String(format: "%07d", number % 300))"),
        sentAt: Date(timeIntervalSince1970: 1_700_000_000 + Double(number) * 600),
        text: "Meddelande \(number): betala nu, annars vet du vad som händer.")
      message.entry = entryIds[number % entryIds.count]
      try session.add(message, attachments: [])
    }
  }
  let reopened = vault
  var pages = 0
  let time = try seconds {
    let builder = DossierBuilder(
      vault: reopened, selection: ExportSelection(), language: .sv, personName: nil, producedAt: Date(),
      timeZone: TimeZone(identifier: "Europe/Stockholm") ?? .current, includeHelpPage: true)
    let out = root.appendingPathComponent("export-out")
    _ = try EvidencePackage.write(builder, vault: reopened, to: out)
    let text = try String(contentsOf: out.appendingPathComponent("dossier.txt"), encoding: .utf8)
    pages = text.filter { $0 == "\u{0C}" }.count + 1
  }
  print(
    String(
      format: "export %d incidents + %d messages: %.2f s (%d pages of dossier.txt, package written and signed)",
      incidentCount, messageCount, time, pages))
  var verdict: PackageVerifier.Verdict?
  let verifyTime = try seconds { verdict = PackageVerifier.verify(root.appendingPathComponent("export-out")) }
  print(
    String(
      format: "verify-export of it: %.2f s (%@; the dossier made again from records.json and compared)",
      verifyTime, verdict?.isIntact == true ? "intact" : "NOT INTACT"))
}
