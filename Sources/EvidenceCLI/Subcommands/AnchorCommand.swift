import ArgumentParser
import EvidenceCatalogue
import EvidenceReport
import EvidenceVault
import Foundation

extension EvidenceCommand {
  struct AnchorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "anchor",
      abstract: String(.abstractAnchor),
      discussion: """
        Send the code somewhere off this device: an SMS to your advocate, an e-mail to yourself. Later it proves
        that the journal's records up to today were not changed or written afterwards: check it with
        `evidence anchor --check CODE`, or on an export with `evidence verify-export FOLDER --anchor CODE`.
        """)

    @OptionGroup var vaultOptions: VaultOptions

    @Option(name: .long, help: ArgumentHelp("Check this code against the journal instead.", valueName: "code"))
    var check: String?

    func run() throws {
      let vault = try vaultOptions.unlock()
      for notice in vault.integrity.notices { Diagnostics.note(notice) }  // quick notes taken in, repairs
      let timeZone = PersonalTimeZone.resolve()
      if let check {
        switch try vault.checkAnchor(check) {
        case .matches(let sequence, let madeAt):
          let when = madeAt.map { ", made \(EntryText.recorded($0, timeZone: timeZone))" } ?? ""
          print("MATCHES: nothing in the journal up to record \(sequence) has changed since this code was made\(when).")
        case .doesNotMatch(let sequence):
          throw CommandFailure(
            message:
              "DOES NOT MATCH: the journal up to record \(sequence) is not what it was when this code was made, or the code is from another vault.",
            hint: "Check that the code was copied exactly. Keep a copy of the whole vault folder.", exitCode: 1)
        case .beyondJournal(let sequence, let count):
          throw CommandFailure(
            message:
              "DOES NOT MATCH: the code covers \(sequence) records but the journal has \(count): records were removed, or the code is from another vault.",
            hint: "Keep a copy of the whole vault folder.", exitCode: 1)
        case .damaged(let sequence):
          throw CommandFailure(
            message:
              "CANNOT CHECK: the code ends at record \(sequence), which is damaged in this journal.",
            hint: "Run `evidence verify` to see the damage. Keep a copy of the whole vault folder.", exitCode: 1)
        }
        return
      }
      let anchor = try vault.anchor()
      print(anchor.code)
      print(
        "This code stands for the journal up to record \(anchor.sequence). Send it somewhere off this device, for example an SMS to someone you trust or an e-mail to yourself; it reveals nothing of what you wrote."
      )
    }
  }
}
