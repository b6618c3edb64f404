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
  try importThreats(
    messageCount, into: vault, linkedTo: vault.index.entries.map(\.original.stamp.id), root: root,
    spacing: 600, text: { "Meddelande \($0): betala nu, annars vet du vad som händer." })
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

/// Imports `count` SMS from 300 senders, `spacing` seconds apart, each linked to one of `entryIds` in turn.
func importThreats(
  _ count: Int, into vault: Vault, linkedTo entryIds: [String], root: URL, spacing: Double,
  text: (Int) -> String
) throws {
  let source = root.appendingPathComponent("threats-\(UUID().uuidString).txt")
  try Data("generated".utf8).write(to: source)
  _ = try vault.importMessages(from: source) { session in
    for number in 0..<count {
      var message = Message(
        channel: .sms, direction: .received,
        from: Message.Party(address: "+4670\(String(format: "%07d", number % 300))"),
        sentAt: Date(timeIntervalSince1970: 1_700_000_000 + Double(number) * spacing), text: text(number))
      message.entry = entryIds[number % entryIds.count]
      try session.add(message, attachments: [])
    }
  }
}
