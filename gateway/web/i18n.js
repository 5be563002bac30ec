// UI strings in Japanese and English, the chosen language (kept in
// localStorage) and small formatting helpers.

import { en as practiceEn, ja as practiceJa } from './i18n-practice.js';
import { en as portalEn, ja as portalJa } from './i18n-portal.js';
import { en as peopleEn, ja as peopleJa } from './i18n-people.js';
import { en as adminEn, ja as adminJa } from './i18n-admin.js';

const LANG_KEY = 'socm.lang';

const en = {
  'app.name': 'SOC Maturity',
  'app.skip': 'Skip to content',
  'app.language': 'Language',
  'app.breadcrumb': 'Breadcrumb',
  'app.signOut': 'Sign out',
  'app.footer': 'ISOG-J SOC/CSIRT maturity self-check. Scores are a self-assessment, not an audit.',

  'nav.orgs': 'Organisations',
  'nav.notFound': 'Page not found',
  'nav.backToOrgs': 'Back to the organisations',
  'nav.sheet': 'Input sheet',
  'nav.results': 'Results',

  'who.signedIn': 'Signed in',
  'who.admin': 'admin',
  'who.notAdmin': 'assessor or viewer',
  'who.pinned': 'one organisation',
  'who.tenantWide': 'all organisations',
  'who.keyEnding': 'API key ending in …{end}',
  'who.person': 'Signed in with your company account',

  'action.retry': 'Try again',

  'err.0': 'The server cannot be reached',
  'err.400': 'Please check the input',
  'err.401': 'Not signed in, or the API key is not known',
  'err.403': 'Your API key is not allowed to do this',
  'err.404': 'Not found',
  'err.409': 'Someone else changed this in the meantime',
  'err.412': 'Not possible in the current state',
  'err.413': 'The request is too large',
  'err.429': 'Too many requests',
  'err.501': 'Not available yet',
  'err.503': 'A service is unavailable',
  'err.504': 'The server took too long to answer',
  'err.5xx': 'Server error',
  'err.other': 'The request failed',
  'err.unexpected': 'Something unexpected happened. Reload the page and try again.',
  'err.network': 'Check the network connection and try again.',
  'err.notYet': 'The server does not offer this function yet.',
  'err.retryAfter': 'Please wait {s} seconds and try again.',
  'err.pageTitle': 'This page could not be loaded',
  'err.short': 'error',

  'signin.title': 'Sign in',
  'signin.tenant': 'Organisation',
  'signin.tenantHelp': 'The short name your administrator gave you, e.g. acme-soc. You sign in with your company account at its identity provider.',
  'signin.withProvider': 'Sign in with your company account',
  'signin.tenantBad': 'Enter the short name: letters, digits and dashes.',
  'signin.withKey': 'Or with an API key',
  'signin.lead': 'Sign in with the API key you were given. An admin key can add organisations; an assessor key can fill in assessments; a viewer key can read them. The operator may sign in here with the operator token.',
  'signin.key': 'API key',
  'signin.help': 'The key is kept only in this browser tab (session storage) and sent in the Authorization header. It is forgotten when you sign out or close the tab.',
  'signin.submit': 'Sign in',
  'signin.empty': 'Enter an API key.',
  'signin.rejected': 'This API key is not known or has been revoked.',
  'signin.expired': 'Your API key was not accepted any more. Please sign in again.',

  'orgs.title': 'Organisations',
  'orgs.lead': 'The organisations (customers or departments) whose SOC/CSIRT is assessed.',
  'orgs.listTitle': 'All organisations ({n})',
  'orgs.yourTitle': 'Your organisations ({n})',
  'orgs.empty': 'No organisations yet.',
  'orgs.name': 'Name',
  'orgs.industry': 'Industry',
  'orgs.employees': 'Employees',
  'orgs.created': 'Created',
  'orgs.create': 'Add organisation',
  'orgs.createTitle': 'Add an organisation',
  'orgs.createHelp': 'Needs an admin key. The industry is used to compare with peers.',
  'orgs.needAdmin': 'Only an admin key can add organisations.',

  'org.assessments': 'Assessments',
  'org.noAssessments': 'No assessments yet. Start one below.',
  'org.createTitle': 'Start an assessment',
  'org.create': 'Create assessment',
  'org.latest': 'latest',
  'org.targets': 'Target level per function (optional)',
  'org.targetsHelp': 'The level you aim for. The results show the gap between the target and the current score.',
  'org.noTarget': 'no target',
  'org.needAssessor': 'Only an assessor or admin key can start assessments.',
  'org.noCatalogues': 'No catalogue is available to this key.',

  'as.title': 'Title',
  'as.assessedOn': 'Assessment date',
  'as.catalogue': 'Catalogue',
  'as.version': 'Version',
  'as.status': 'Status',
  'as.progress': 'Answered',
  'as.overall': 'Overall',
  'as.actions': 'Actions',
  'as.policy': 'Scoring policy',

  'level.short': 'Level',

  'policy.COUNT_DECIDED_NOT_TO_AS_ZERO': 'Count "decided not to do it" (level 0) as 0',
  'policy.EXCLUDE_DECIDED_NOT_TO': 'Leave "decided not to do it" (level 0) out of the mean',
  'policy.SCORING_POLICY_UNSPECIFIED': 'Default',
  'policy.help': 'Level 0 means the role was considered and deliberately not done. Unanswered roles are always left out.',

  'status.DRAFT': 'Draft',
  'status.SUBMITTED': 'Submitted',
  'status.APPROVED': 'Approved',
  'status.ASSESSMENT_STATUS_UNSPECIFIED': 'Unknown',

  'sheet.unanswered': '— unanswered',
  'sheet.levelsTitle': 'What the levels mean',
  'sheet.level': 'Level',
  'sheet.scaleLabel': 'Name',
  'sheet.role': 'Role',
  'sheet.inSource': 'In-source',
  'sheet.outSource': 'Out-source',
  'sheet.target': 'Target',
  'sheet.note': 'Note',
  'sheet.saveState': 'Saved?',
  'sheet.answeredOf': '{n} / {total} answered',
  'sheet.overallProgress': '{n} of {total} roles answered',
  'sheet.fnProgress': 'Progress of {name}',
  'sheet.fnTarget': 'Target {n}',
  'sheet.jump': 'Jump to a function',
  'sheet.area': 'Area {area}',
  'sheet.saving': 'Saving…',
  'sheet.allSaved': 'All changes saved.',
  'sheet.savedRole': '{code} saved.',
  'sheet.rowSaving': 'Saving…',
  'sheet.rowSaved': 'Saved',
  'sheet.rowUnsaved': 'Not saved',
  'sheet.readOnly': 'This assessment is {status} and read-only. Reopen it to change answers.',
  'sheet.conflictTitle': 'Someone else changed this assessment; reload.',
  'sheet.conflictBody': 'Your change to {code} was not saved, so their change is kept. Reload to see the current answers, then make your change again.',
  'sheet.conflictBodyGeneric': 'Your action was not carried out, so their change is kept. Reload to see the current state.',
  'sheet.reload': 'Reload',
  'sheet.stateChanged': 'Your change to {code} was not saved: the assessment is no longer a draft.',
  'sheet.submit': 'Submit',
  'sheet.approve': 'Approve',
  'sheet.reopen': 'Reopen',
  'sheet.done.submit': 'The assessment was submitted.',
  'sheet.done.approve': 'The assessment was approved.',
  'sheet.done.reopen': 'The assessment was reopened.',
  'sheet.approveNeedsAdmin': 'Approving needs an admin key.',
  'sheet.approveBySomeoneElse': 'You submitted this assessment, so someone else must approve it.',
  'sheet.reopenNeedsAdmin': 'Only an admin can reopen an approved assessment.',
  'sheet.guidanceTitle': 'How to rate',
  'sheet.guidanceLabel': 'Rating guidance',
  'sheet.guidanceFallback': 'If unsure which level applies, choose 1.',

  'excel.title': 'Excel sheet',
  'excel.help': 'Fill in the self-check offline: download the sheet, mark one level per dimension with ● (○ or nothing for the others), then upload it here. An upload sets every role to what the sheet says; roles the sheet leaves unmarked become unanswered. You see what would change before anything is written.',
  'excel.blank': 'Download the blank sheet',
  'excel.filled': 'Download the sheet with these answers',
  'excel.blankLabel': 'blank sheet',
  'excel.filledLabel': 'filled sheet',
  'excel.preparing': 'Preparing the {label}…',
  'excel.downloaded': 'Downloaded {name}.',
  'excel.upload': 'Upload a filled sheet (.xlsx)…',
  'excel.uploadOff': 'A sheet can be uploaded only while this assessment is a draft and up to date.',
  'excel.reading': 'Reading {name}…',
  'excel.tooLarge': '{name} is {size} MB; a sheet may be at most 5 MB.',
  'excel.notWorkbook': 'Upload the .xlsx file downloaded here, filled in and saved by Excel or a compatible program.',
  'excel.previewTitle': 'What the import would change',
  'excel.source': 'Sheet "{sheet}" of {name}',
  'excel.summary': '{changed} roles change, {cleared} become unanswered, {same} stay as they are.',
  'excel.summaryAsRead': 'As far as the sheet could be read: {summary}',
  'excel.noChanges': 'The sheet says what the assessment already says: nothing would change.',
  'excel.problemTitle': 'The sheet has 1 problem; nothing can be imported until it is corrected.',
  'excel.problemsTitle': 'The sheet has {n} problems; nothing can be imported until they are corrected.',
  'excel.problemsHelp': 'Correct these cells in Excel, save, and upload the file again.',
  'excel.problemRole': 'role {code}',
  'excel.showRow': 'Show {code} in the table below',
  'excel.onlyChanges': 'Show only the roles that change',
  'excel.current': 'Current',
  'excel.fromSheet': 'From the sheet',
  'excel.changes': 'changes',
  'excel.becomesUnanswered': 'becomes unanswered',
  'excel.confirm': 'Confirm import',
  'excel.cancel': 'Cancel',
  'excel.fixFirst': 'Correct the problems first.',
  'excel.importing': 'Importing…',
  'excel.cancelled': 'Import cancelled; nothing was written.',
  'excel.changedSince': 'The answers were changed since this preview was made; it now compares with the latest. Check it and confirm again.',
  'excel.importedTitle': 'Sheet imported',
  'excel.imported': 'The answers of sheet "{sheet}" of {name} were imported: {changed} roles changed, {cleared} became unanswered.',

  'results.title': 'Results',
  'results.print': 'Print',
  'results.overall': 'Overall maturity',
  'results.noAnswers': 'no answers yet',
  'results.completeness': 'Roles answered',
  'results.incomplete': 'unanswered roles are left out of the scores',
  'results.complete': 'complete',
  'results.radar': 'Radar chart',
  'results.loadingRadar': 'Loading the radar chart…',
  'results.highlights': 'Strengths and weaknesses',
  'results.strengths': 'Strengths',
  'results.weaknesses': 'Weaknesses',
  'results.none': 'Not enough answers yet.',
  'results.byFunction': 'Maturity by function',
  'results.function': 'Function',
  'results.score': 'Score',
  'results.level': 'Level',
  'results.target': 'Target',
  'results.gap': 'Gap',
  'results.answered': 'Answered',
  'results.sourcing': 'Sourcing',
  'results.outSourcedRoles': 'Out-sourced roles',
  'results.outSourcedTitle': 'Counted roles whose level comes from out-source (out-source higher, or in-source unanswered)',
  'results.outSourcedList': 'Out-sourced: {codes}',
  'results.inSourceOnly': 'In-source only',
  'results.inSourceOnlyTitle': 'The score as if no out-source answer existed',
  'results.dependency': 'Dependency',
  'results.dependencyTitle': 'Score minus the in-source-only score: how many levels the function owes its providers',
  'results.sourcingHelp': 'Sourcing: "out-sourced roles" take their level from a provider. "In-source only" is the function\'s score with every out-source answer ignored. "Dependency" is the score minus that: how many levels the function owes its providers (0 means it stands on its own).',
  'results.downloads': 'Reports',
  'results.downloadsHelp': 'Download the report in the current language.',
  'results.preparing': 'Preparing {label}…',
  'results.downloaded': 'Downloaded {name}.',
  'results.trend': 'Trend',
  'results.trendLabel': 'Overall score of each assessment of this organisation, over time',
  'results.noTrend': 'No earlier assessments to compare with.',
  'results.delta': 'Change',
  'results.trendByFunction': 'By function, with the change since the assessment before',
  'results.loading': 'Loading…',
  'results.benchmark': 'Peer benchmark',
  'results.benchmarkHelp': 'Across your organisations, the latest approved assessment of each. Shown only when at least five organisations take part.',
  'results.allIndustries': 'All industries',
  'results.sameIndustry': 'Same industry ({industry})',
  'results.benchCount': '{n} organisations compared.',
  'results.benchTooFew': 'So that no single organisation can be singled out, the comparison needs at least five organisations with an approved assessment.',
  'results.benchPinned': 'A key limited to one organisation cannot see the comparison across organisations.',
  'results.thisAssessment': 'This assessment',
  'results.median': 'median',
  'results.legendIqr': 'middle half (p25–p75), line: median',
};

const ja = {
  'app.name': 'SOC Maturity',
  'app.skip': '本文へ移動',
  'app.language': '言語',
  'app.breadcrumb': 'パンくずリスト',
  'app.signOut': 'サインアウト',
  'app.footer': 'ISOG-J SOC/CSIRT 成熟度セルフチェック。スコアは自己評価であり、監査ではありません。',

  'nav.orgs': '組織',
  'nav.notFound': 'ページが見つかりません',
  'nav.backToOrgs': '組織一覧に戻る',
  'nav.sheet': '入力シート',
  'nav.results': '結果',

  'who.signedIn': 'サインイン中',
  'who.admin': '管理者',
  'who.notAdmin': '評価者または閲覧者',
  'who.pinned': '1組織のみ',
  'who.tenantWide': '全組織',
  'who.keyEnding': '末尾が …{end} のAPIキー',
  'who.person': '会社のアカウントでサインイン中',

  'action.retry': '再試行',

  'err.0': 'サーバーに接続できません',
  'err.400': '入力内容を確認してください',
  'err.401': 'サインインしていないか、APIキーが認識されません',
  'err.403': 'このAPIキーではこの操作はできません',
  'err.404': '見つかりません',
  'err.409': 'その間に他の人が変更しました',
  'err.412': '現在の状態ではこの操作はできません',
  'err.413': 'リクエストが大きすぎます',
  'err.429': 'リクエストが多すぎます',
  'err.501': 'この機能はまだ利用できません',
  'err.503': 'サービスが利用できません',
  'err.504': 'サーバーの応答に時間がかかりすぎました',
  'err.5xx': 'サーバーエラー',
  'err.other': 'リクエストに失敗しました',
  'err.unexpected': '予期しないことが起きました。ページを再読み込みしてもう一度お試しください。',
  'err.network': 'ネットワーク接続を確認して、もう一度お試しください。',
  'err.notYet': 'サーバーはこの機能をまだ提供していません。',
  'err.retryAfter': '{s}秒待ってからもう一度お試しください。',
  'err.pageTitle': 'このページを読み込めませんでした',
  'err.short': 'エラー',

  'signin.title': 'サインイン',
  'signin.tenant': '組織',
  'signin.tenantHelp': '管理者から伝えられた短い名前(例: acme-soc)。会社のアカウントで、その組織のIDプロバイダーにサインインします。',
  'signin.withProvider': '会社のアカウントでサインイン',
  'signin.tenantBad': '短い名前(英小文字・数字・ハイフン)を入力してください。',
  'signin.withKey': 'またはAPIキーで',
  'signin.lead': '発行されたAPIキーでサインインします。管理者キーは組織を追加でき、評価者キーは評価を入力でき、閲覧者キーは閲覧のみできます。オペレーターはオペレータートークンでもサインインできます。',
  'signin.key': 'APIキー',
  'signin.help': 'キーはこのブラウザーのタブ内(セッションストレージ)にだけ保持され、Authorizationヘッダーで送信されます。サインアウトするかタブを閉じると消去されます。',
  'signin.submit': 'サインイン',
  'signin.empty': 'APIキーを入力してください。',
  'signin.rejected': 'このAPIキーは認識されないか、失効しています。',
  'signin.expired': 'APIキーが受け付けられなくなりました。もう一度サインインしてください。',

  'orgs.title': '組織',
  'orgs.lead': 'SOC/CSIRTを評価する組織(顧客または部門)です。',
  'orgs.listTitle': 'すべての組織({n})',
  'orgs.yourTitle': '担当の組織({n})',
  'orgs.empty': 'まだ組織がありません。',
  'orgs.name': '名称',
  'orgs.industry': '業種',
  'orgs.employees': '従業員数',
  'orgs.created': '作成日',
  'orgs.create': '組織を追加',
  'orgs.createTitle': '組織を追加する',
  'orgs.createHelp': '管理者キーが必要です。業種は同業他社との比較に使われます。',
  'orgs.needAdmin': '組織を追加できるのは管理者キーだけです。',

  'org.assessments': '評価',
  'org.noAssessments': 'まだ評価がありません。下のフォームから開始してください。',
  'org.createTitle': '評価を開始する',
  'org.create': '評価を作成',
  'org.latest': '最新',
  'org.targets': '機能ごとの目標レベル(任意)',
  'org.targetsHelp': '目指すレベルです。結果画面で目標と現状の差(ギャップ)を表示します。',
  'org.noTarget': '目標なし',
  'org.needAssessor': '評価を開始できるのは評価者キーまたは管理者キーだけです。',
  'org.noCatalogues': 'このキーで利用できるカタログがありません。',

  'as.title': 'タイトル',
  'as.assessedOn': '評価日',
  'as.catalogue': 'カタログ',
  'as.version': 'バージョン',
  'as.status': '状態',
  'as.progress': '回答数',
  'as.overall': '総合',
  'as.actions': '操作',
  'as.policy': 'スコアの計算方法',

  'level.short': 'レベル',

  'policy.COUNT_DECIDED_NOT_TO_AS_ZERO': '「実施しないと判断した」(レベル0)を0として数える',
  'policy.EXCLUDE_DECIDED_NOT_TO': '「実施しないと判断した」(レベル0)を平均から除く',
  'policy.SCORING_POLICY_UNSPECIFIED': '既定',
  'policy.help': 'レベル0は、検討したうえで実施しないと判断したことを意味します。未回答の役割は常に除外されます。',

  'status.DRAFT': '下書き',
  'status.SUBMITTED': '提出済み',
  'status.APPROVED': '承認済み',
  'status.ASSESSMENT_STATUS_UNSPECIFIED': '不明',

  'sheet.unanswered': '— 未回答',
  'sheet.levelsTitle': '各レベルの意味',
  'sheet.level': 'レベル',
  'sheet.scaleLabel': '名称',
  'sheet.role': '役割',
  'sheet.inSource': 'インソース',
  'sheet.outSource': 'アウトソース',
  'sheet.target': '目標',
  'sheet.note': '備考',
  'sheet.saveState': '保存状態',
  'sheet.answeredOf': '{n} / {total} 回答済み',
  'sheet.overallProgress': '{total}件中 {n}件の役割に回答済み',
  'sheet.fnProgress': '{name} の進捗',
  'sheet.fnTarget': '目標 {n}',
  'sheet.jump': '機能へ移動',
  'sheet.area': '領域 {area}',
  'sheet.saving': '保存中…',
  'sheet.allSaved': 'すべての変更を保存しました。',
  'sheet.savedRole': '{code} を保存しました。',
  'sheet.rowSaving': '保存中…',
  'sheet.rowSaved': '保存済み',
  'sheet.rowUnsaved': '未保存',
  'sheet.readOnly': 'この評価は「{status}」のため読み取り専用です。回答を変更するには差し戻してください。',
  'sheet.conflictTitle': '他の人がこの評価を変更しました。再読み込みしてください。',
  'sheet.conflictBody': '{code} へのあなたの変更は保存されていないため、相手の変更が残っています。再読み込みして最新の回答を確認してから、もう一度変更してください。',
  'sheet.conflictBodyGeneric': 'あなたの操作は実行されていないため、相手の変更が残っています。再読み込みして最新の状態を確認してください。',
  'sheet.reload': '再読み込み',
  'sheet.stateChanged': '{code} へのあなたの変更は保存されていません。この評価はもう下書きではありません。',
  'sheet.submit': '提出',
  'sheet.approve': '承認',
  'sheet.reopen': '差し戻し',
  'sheet.done.submit': '評価を提出しました。',
  'sheet.done.approve': '評価を承認しました。',
  'sheet.done.reopen': '評価を差し戻しました。',
  'sheet.approveNeedsAdmin': '承認には管理者キーが必要です。',
  'sheet.approveBySomeoneElse': 'この評価はあなたが提出したため、承認は別の担当者が行います。',
  'sheet.reopenNeedsAdmin': '承認済みの評価を差し戻せるのは管理者だけです。',
  'sheet.guidanceTitle': '評価のしかた',
  'sheet.guidanceLabel': '評価の目安',
  'sheet.guidanceFallback': 'どのレベルに当てはまるか迷ったら、1を選んでください。',

  'excel.title': 'Excelシート',
  'excel.help': 'オフラインで記入できます。シートをダウンロードし、次元ごとに1つのレベルに ● を付け(他は ○ または空欄)、ここでアップロードしてください。アップロードすると、すべての役割がシートの内容になり、シートで印のない役割は未回答になります。書き込む前に、何が変わるかを確認できます。',
  'excel.blank': '空のシートをダウンロード',
  'excel.filled': 'この回答を記入したシートをダウンロード',
  'excel.blankLabel': '空のシート',
  'excel.filledLabel': '記入済みのシート',
  'excel.preparing': '{label}を作成中…',
  'excel.downloaded': '{name} をダウンロードしました。',
  'excel.upload': '記入したシート(.xlsx)をアップロード…',
  'excel.uploadOff': 'シートをアップロードできるのは、この評価が下書きで、最新の状態を表示しているときだけです。',
  'excel.reading': '{name} を読み込み中…',
  'excel.tooLarge': '{name} は {size} MB です。シートは5 MBまでです。',
  'excel.notWorkbook': 'ここでダウンロードし、Excel または互換ソフトで記入・保存した .xlsx ファイルをアップロードしてください。',
  'excel.previewTitle': 'インポートによる変更の確認',
  'excel.source': '{name} のシート「{sheet}」',
  'excel.summary': '{changed}件の役割が変わり、{cleared}件が未回答になります。{same}件は変わりません。',
  'excel.summaryAsRead': '読み取れた範囲では、{summary}',
  'excel.noChanges': 'シートの内容は現在の回答と同じです。変わるものはありません。',
  'excel.problemTitle': 'シートに1件の問題があります。修正するまでインポートできません。',
  'excel.problemsTitle': 'シートに{n}件の問題があります。修正するまでインポートできません。',
  'excel.problemsHelp': 'Excelでこれらのセルを修正して保存し、もう一度アップロードしてください。',
  'excel.problemRole': '役割 {code}',
  'excel.showRow': '下の表で {code} を表示',
  'excel.onlyChanges': '変わる役割だけを表示',
  'excel.current': '現在',
  'excel.fromSheet': 'シート',
  'excel.changes': '変更',
  'excel.becomesUnanswered': '未回答になる',
  'excel.confirm': 'インポートを確定',
  'excel.cancel': 'キャンセル',
  'excel.fixFirst': '先に問題を修正してください。',
  'excel.importing': 'インポート中…',
  'excel.cancelled': 'インポートを取り消しました。何も書き込まれていません。',
  'excel.changedSince': 'このプレビューの作成後に回答が変更されたため、最新の回答と比べ直しました。確認して、もう一度確定してください。',
  'excel.importedTitle': 'シートをインポートしました',
  'excel.imported': '{name} のシート「{sheet}」の回答をインポートしました。{changed}件の役割が変わり、{cleared}件が未回答になりました。',

  'results.title': '結果',
  'results.print': '印刷',
  'results.overall': '総合成熟度',
  'results.noAnswers': 'まだ回答がありません',
  'results.completeness': '回答済みの役割',
  'results.incomplete': '未回答の役割はスコアから除外されます',
  'results.complete': 'すべて回答済み',
  'results.radar': 'レーダーチャート',
  'results.loadingRadar': 'レーダーチャートを読み込み中…',
  'results.highlights': '強みと弱み',
  'results.strengths': '強み',
  'results.weaknesses': '弱み',
  'results.none': 'まだ回答が足りません。',
  'results.byFunction': '機能別の成熟度',
  'results.function': '機能',
  'results.score': 'スコア',
  'results.level': 'レベル',
  'results.target': '目標',
  'results.gap': 'ギャップ',
  'results.answered': '回答数',
  'results.sourcing': 'ソーシング',
  'results.outSourcedRoles': 'アウトソースの役割',
  'results.outSourcedTitle': 'レベルがアウトソースで決まる、集計対象の役割の数(アウトソースの方が高いか、インソースが未回答)',
  'results.outSourcedList': 'アウトソース:{codes}',
  'results.inSourceOnly': 'インソースのみ',
  'results.inSourceOnlyTitle': 'アウトソースの回答がないものとした場合のスコア',
  'results.dependency': '依存度',
  'results.dependencyTitle': 'スコアからインソースのみのスコアを引いた値:その機能が外部の提供者に負っているレベル数',
  'results.sourcingHelp': 'ソーシング:「アウトソースの役割」は、レベルが外部の提供者によって決まる役割です。「インソースのみ」は、アウトソースの回答をすべて除いた場合の機能のスコアです。「依存度」はスコアからそれを引いた値で、その機能が提供者に負っているレベル数を表します(0なら自組織だけで成り立っています)。',
  'results.downloads': 'レポート',
  'results.downloadsHelp': '現在の言語でレポートをダウンロードします。',
  'results.preparing': '{label} を作成中…',
  'results.downloaded': '{name} をダウンロードしました。',
  'results.trend': '推移',
  'results.trendLabel': 'この組織の各評価の総合スコアの推移',
  'results.noTrend': '比較できる過去の評価がありません。',
  'results.delta': '変化',
  'results.trendByFunction': '機能別 (前回の評価からの変化)',
  'results.loading': '読み込み中…',
  'results.benchmark': '同業比較(ベンチマーク)',
  'results.benchmarkHelp': 'テナント内の各組織の最新の承認済み評価を比較します。5組織以上ある場合にだけ表示されます。',
  'results.allIndustries': 'すべての業種',
  'results.sameIndustry': '同じ業種({industry})',
  'results.benchCount': '{n}組織を比較しています。',
  'results.benchTooFew': '特定の組織が識別されないよう、比較には承認済みの評価がある組織が5つ以上必要です。',
  'results.benchPinned': '1つの組織に限定されたキーでは、組織をまたぐ比較は表示できません。',
  'results.thisAssessment': 'この評価',
  'results.median': '中央値',
  'results.legendIqr': '中央の半分(p25–p75)、線:中央値',
};

Object.assign(en, practiceEn);
Object.assign(ja, practiceJa);
Object.assign(en, portalEn);
Object.assign(ja, portalJa);
Object.assign(en, peopleEn);
Object.assign(ja, peopleJa);
Object.assign(en, adminEn);
Object.assign(ja, adminJa);
const DICTIONARIES = { en, ja };
const listeners = new Set();

function initialLang() {
  const saved = localStorage.getItem(LANG_KEY);
  if (saved === 'ja' || saved === 'en') return saved;
  return (navigator.language || '').toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

let lang = initialLang();
document.documentElement.lang = lang;

export function getLang() { return lang; }

export function setLang(next) {
  if (next !== 'ja' && next !== 'en') return;
  localStorage.setItem(LANG_KEY, next);
  if (next === lang) return;
  lang = next;
  document.documentElement.lang = lang;
  for (const fn of listeners) fn(lang);
}

export function onLangChange(fn) { listeners.add(fn); }

export function t(key, params) {
  let text = DICTIONARIES[lang][key] ?? en[key] ?? key;
  if (params) text = text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
  return text;
}

// Translates the static parts of index.html: data-i18n (text) and
// data-i18n-label (aria-label); marks the current language button.
export function translateStatic(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', t(el.dataset.i18nLabel));
  for (const el of root.querySelectorAll('[data-lang]')) el.setAttribute('aria-pressed', String(el.dataset.lang === lang));
}

// A catalogue text ({ja, en}) in the language asked for, else the other one.
export function localized(text, which = lang) {
  if (!text) return '';
  if (typeof text === 'string') return text;
  return text[which] || text.ja || text.en || '';
}

export function formatScore(x) {
  return typeof x === 'number' && !Number.isNaN(x) ? x.toFixed(1) : '—';
}

export function formatDate(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toLocaleDateString(lang === 'ja' ? 'ja-JP' : 'en-GB', { year: 'numeric', month: 'short', day: 'numeric' });
}

export function formatDateTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toLocaleString(lang === 'ja' ? 'ja-JP' : 'en-GB', { year: 'numeric', month: 'short', day: 'numeric',
    hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function statusLabel(status) {
  return t(`status.${status || 'ASSESSMENT_STATUS_UNSPECIFIED'}`);
}

export function policyLabel(policy) {
  return t(`policy.${policy || 'SCORING_POLICY_UNSPECIFIED'}`);
}
