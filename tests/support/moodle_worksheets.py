"""Moodle 4.x "Download grading worksheet" files, byte for byte as Moodle writes them.

How Moodle writes one (mod/assign/gradingtable.php when downloading, lib/classes/dataformat,
OpenSpout's CSV writer): a UTF-8 BOM, comma separators, rows ended by "\\n", cells quoted as
PHP's fputcsv does (only when they hold a comma, a quote, a space, a tab or a line break);
numbers through format_float, with the interface language's decimal separator; the Identifier
``get_string('hiddenuser', 'assign') . uniqueid``: "Participant 12345" in English,
"Participante12345" in pt_br (no trailing space in that language pack). These assignments have
file submissions and the Feedback comments, Offline grading worksheet and File feedback types.

Participants: 12345 submitted, not graded in Moodle yet; 12346 graded in Moodle (7.50, a
comment with quotes); 12347 no submission; 12348 a name with an underscore.
"""
BOM = "\ufeff"

ENGLISH = BOM + (
    'Identifier,"Full name","Email address",Status,Grade,"Maximum grade","Grade can be changed",'
    '"Last modified (submission)","Last modified (grade)","Feedback comments"\n'
    '"Participant 12345","Ana Souza",ana.souza@example.edu.br,"Submitted for grading",,10.00,Yes,'
    '"Monday, 7 April 2025, 10:15 PM",-,\n'
    '"Participant 12346","Souza, Bruno",bruno.souza@example.edu.br,"Submitted for grading - Graded",7.50,10.00,'
    'Yes,"Tuesday, 8 April 2025, 9:02 AM","Wednesday, 9 April 2025, 2:30 PM",'
    '"<p>Revise a função ""pad"".</p>"\n'
    '"Participant 12347","João Conceição",joao.conceicao@example.edu.br,"No submission",,10.00,Yes,-,-,\n'
    '"Participant 12348","Maria_Clara Lima",mariaclara.lima@example.edu.br,"Submitted for grading",,10.00,Yes,'
    '"Monday, 7 April 2025, 11:59 PM",-,\n'
)

PORTUGUESE = BOM + (
    'Identificador,"Nome completo","Endereço de email",Status,Nota,"Nota máxima","Nota pode ser alterada",'
    '"Última modificação (envio)","Última modificação (nota)","Comentários de feedback"\n'
    'Participante12345,"Ana Souza",ana.souza@example.edu.br,"Enviado para avaliação",,"10,00",Sim,'
    '"segunda-feira, 7 abril 2025, 22:15",-,\n'
    'Participante12346,"Souza, Bruno",bruno.souza@example.edu.br,"Enviado para avaliação - Avaliado","7,50",'
    '"10,00",Sim,"terça-feira, 8 abril 2025, 09:02","quarta-feira, 9 abril 2025, 14:30",'
    '"<p>Revise a função ""pad"".</p>"\n'
    'Participante12347,"João Conceição",joao.conceicao@example.edu.br,"Nenhum envio",,"10,00",Sim,-,-,\n'
    'Participante12348,"Maria_Clara Lima",mariaclara.lima@example.edu.br,"Enviado para avaliação",,"10,00",Sim,'
    '"segunda-feira, 7 abril 2025, 23:59",-,\n'
)

# The Portuguese worksheet after a spreadsheet in Portuguese saved it as "CSV UTF-8":
# semicolons, CRLF, quotes only where needed. Moodle's upload form takes it (separator: semicolon).
PORTUGUESE_SPREADSHEET = BOM + (
    "Identificador;Nome completo;Endereço de email;Status;Nota;Nota máxima;Nota pode ser alterada;"
    "Última modificação (envio);Última modificação (nota);Comentários de feedback\r\n"
    "Participante12345;Ana Souza;ana.souza@example.edu.br;Enviado para avaliação;;10,00;Sim;"
    "segunda-feira, 7 abril 2025, 22:15;-;\r\n"
    "Participante12346;Souza, Bruno;bruno.souza@example.edu.br;Enviado para avaliação - Avaliado;7,50;10,00;Sim;"
    'terça-feira, 8 abril 2025, 09:02;quarta-feira, 9 abril 2025, 14:30;"<p>Revise a função ""pad"".</p>"\r\n'
    "Participante12347;João Conceição;joao.conceicao@example.edu.br;Nenhum envio;;10,00;Sim;-;-;\r\n"
    "Participante12348;Maria_Clara Lima;mariaclara.lima@example.edu.br;Enviado para avaliação;;10,00;Sim;"
    "segunda-feira, 7 abril 2025, 23:59;-;\r\n"
)

# An assignment graded with a scale: Moodle writes a Scale column instead of Maximum grade.
ENGLISH_SCALE = BOM + (
    'Identifier,"Full name","Email address",Status,Grade,Scale,"Grade can be changed",'
    '"Last modified (submission)","Last modified (grade)","Feedback comments"\n'
    '"Participant 12345","Ana Souza",ana.souza@example.edu.br,"Submitted for grading",,"Not satisfactory\n'
    'Satisfactory",Yes,"Monday, 7 April 2025, 10:15 PM",-,\n'
)

# Participant id -> full name in every worksheet above.
NAMES = {"12345": "Ana Souza", "12346": "Souza, Bruno", "12347": "João Conceição", "12348": "Maria_Clara Lima"}
