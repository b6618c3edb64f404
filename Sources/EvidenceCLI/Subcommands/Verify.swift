import ArgumentParser
import EvidenceCatalogue
import EvidenceReport
import EvidenceVault
import Foundation

extension EvidenceCommand {
  struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: String(.abstractVerify))

    @OptionGroup var vaultOptions: VaultOptions

    @Flag(
      name: .long,
      help: "Keep attachment files no record names as loose exhibits, and move unreadable leftovers to quarantine/.")
    var repair = false

    func run() throws {
      let vault = try vaultOptions.unlock()
      let lines = IntegrityText.lines(
        integrity: vault.integrity, index: vault.index, clockNotices: vault.clockNotices,
        fingerprint: vault.fingerprint, timeZone: PersonalTimeZone.resolve())
      for line in lines { print(line) }
      let anchors = vault.anchorStatus
      for line in IntegrityText.anchorLines(
        last: anchors.last, unanchoredRecords: anchors.unanchoredRecords, timeZone: PersonalTimeZone.resolve())
      {
        print(line)
      }
      let exhibits = try vault.checkExhibits(progress: ProgressBar("Checking exhibits").update)
      for line in IntegrityText.lines(exhibits: exhibits) { print(line) }
      if repair {
        let summary = try vault.repair()
        for label in summary.recovered {
          print("Repaired: kept an attachment file no record named as loose exhibit \(label).")
        }
        for path in summary.quarantined { print("Repaired: moved \(path) to quarantine/.") }
        if summary.recovered.isEmpty && summary.quarantined.isEmpty { print("Nothing to repair.") }
      }
      if !vault.integrity.isIntact || !exhibits.isIntact {
        throw CommandFailure(
          message: "The vault does not verify.",
          hint:
            "Do not delete anything. Keep a copy of the whole vault folder; what verifies can still be read and exported.",
          exitCode: 1)
      }
    }
  }
}
