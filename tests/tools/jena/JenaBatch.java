// JenaBatch.java - many files checked by Apache Jena in one JVM (each JVM start costs 1.3-2 s).
// Run with jena-batch.sh (source-file mode: needs a JDK).
//
//   parse FILE...                            one line per file: "<file>\tok\t<triples>" or "<file>\tbroken\t<message>"
//   shacl SHAPES VOCABULARY... -- FIXTURE... one line per result: "<fixture>\t<severity>\t<focus>\t<source shape>"
//                                            and "<fixture>\tdone\t<conforms>" after each fixture
import java.util.ArrayList;
import java.util.List;

import org.apache.jena.graph.Graph;
import org.apache.jena.graph.Node;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.riot.RDFLanguages;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.riot.RiotException;
import org.apache.jena.riot.system.ErrorHandler;
import org.apache.jena.riot.system.StreamRDFLib;
import org.apache.jena.shacl.ShaclValidator;
import org.apache.jena.shacl.Shapes;
import org.apache.jena.shacl.ValidationReport;
import org.apache.jena.shacl.validation.ReportEntry;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.core.DatasetGraphFactory;
import org.apache.jena.sparql.graph.GraphFactory;
import org.apache.jena.sys.JenaSystem;

public class JenaBatch {
    public static void main(String[] args) {
        JenaSystem.init();
        if (args.length == 0) {
            System.err.println("usage: parse FILE... | shacl SHAPES VOCABULARY... -- FIXTURE...");
            System.exit(2);
        }
        if (args[0].equals("parse")) {
            for (int i = 1; i < args.length; i++) parse(args[i]);
        } else if (args[0].equals("shacl")) {
            shacl(args);
        } else {
            System.err.println("unknown command " + args[0]);
            System.exit(2);
        }
        System.out.flush();
    }

    static final ErrorHandler ERRORS_ONLY = new ErrorHandler() {
        public void warning(String message, long line, long col) {}
        public void error(String message, long line, long col) { throw new RiotException("[line: " + line + ", col: " + col + "] " + message); }
        public void fatal(String message, long line, long col) { throw new RiotException("[line: " + line + ", col: " + col + "] " + message); }
    };

    static String oneLine(String text) {
        return text == null ? "" : text.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }

    static void parse(String file) {
        DatasetGraph dsg = DatasetGraphFactory.createTxnMem();
        try {
            Lang lang = RDFLanguages.filenameToLang(file);
            // Debian ships titanium-json-ld (JSON-LD 1.1) without a Jakarta JSON provider, so it fails
            // on every document; jsonld-java (JSON-LD 1.0) works.
            if (lang == Lang.JSONLD || lang == Lang.JSONLD11) lang = Lang.JSONLD10;
            // What riot --validate calls an error stops the parse; warnings (e.g. IRIs of schemes
            // without a registered syntax, such as urn:) do not, as in riot.
            RDFParser.create().source(file).forceLang(lang).errorHandler(ERRORS_ONLY)
                    .parse(StreamRDFLib.dataset(dsg));
            long count = dsg.getDefaultGraph().size();
            for (java.util.Iterator<Node> it = dsg.listGraphNodes(); it.hasNext(); ) count += dsg.getGraph(it.next()).size();
            System.out.println(file + "\tok\t" + count);
        } catch (Exception | StackOverflowError e) {  // deep nesting overflows Jena's recursive parser
            System.out.println(file + "\tbroken\t" + e.getClass().getSimpleName() + ": " + oneLine(e.getMessage()));
        }
    }

    static void shacl(String[] args) {
        int sep = java.util.Arrays.asList(args).indexOf("--");
        Graph shapesGraph = RDFDataMgr.loadGraph(args[1]);
        Shapes shapes = Shapes.parse(shapesGraph);
        Graph vocabulary = GraphFactory.createDefaultGraph();
        for (int i = 2; i < sep; i++) RDFDataMgr.read(vocabulary, args[i]);
        for (int i = sep + 1; i < args.length; i++) {
            String fixture = args[i];
            Graph data = GraphFactory.createDefaultGraph();
            vocabulary.find().forEachRemaining(data::add);
            RDFDataMgr.read(data, fixture);
            ValidationReport report = ShaclValidator.get().validate(shapes, data);
            for (ReportEntry e : report.getEntries()) {
                System.out.println(fixture + "\t" + e.severity().level().getLocalName() + "\t" + e.focusNode() + "\t" + e.source());
            }
            System.out.println(fixture + "\tdone\t" + report.conforms());
        }
    }
}
