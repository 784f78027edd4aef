// Fills an XForm with JavaRosa -- the form engine inside ODK Collect -- the way Collect does:
// step through the questions Collect would show (relevance and choice filters applied by the
// engine), answer each from a properties file, enforce required and constraints, and print
// the submission XML Collect would send.
//
//   javac -cp ODK_Validate.jar FillForm.java
//   java -cp ODK_Validate.jar:. FillForm form.xml answers.properties > submission.xml
//
// answers.properties: question name = value ("kecamatan = 36.73.01"; geopoint
// "lat lon alt acc"; date yyyy-mm-dd; select_multiple space-separated). Questions without an
// answer are left empty. Exit status 2 with "CONSTRAINT <name>" or "REQUIRED <name>" on
// stderr when the engine refuses an answer, 3 when a choice does not exist.
import java.io.FileInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.text.SimpleDateFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.javarosa.core.model.Constants;
import org.javarosa.core.model.FormDef;
import org.javarosa.core.model.SelectChoice;
import org.javarosa.core.model.data.DateData;
import org.javarosa.core.model.data.GeoPointData;
import org.javarosa.core.model.data.IAnswerData;
import org.javarosa.core.model.data.IntegerData;
import org.javarosa.core.model.data.SelectMultiData;
import org.javarosa.core.model.data.SelectOneData;
import org.javarosa.core.model.data.StringData;
import org.javarosa.core.model.data.helper.Selection;
import org.javarosa.core.model.instance.InstanceInitializationFactory;
import org.javarosa.core.services.IPropertyManager;
import org.javarosa.core.services.PropertyManager;
import org.javarosa.core.services.properties.IPropertyRules;
import org.javarosa.form.api.FormEntryController;
import org.javarosa.form.api.FormEntryModel;
import org.javarosa.form.api.FormEntryPrompt;
import org.javarosa.model.xform.XFormSerializingVisitor;
import org.javarosa.xform.util.XFormUtils;

public class FillForm {
  // Collect answers the "deviceid" preload from its own settings; here a fixed phone id.
  static class PhoneProperties implements IPropertyManager {
    public List<String> getProperty(String name) {
      List<String> values = new ArrayList<>();
      String value = getSingularProperty(name);
      if (value != null) values.add(value);
      return values;
    }

    public void setProperty(String name, String value) {}

    public void setProperty(String name, List<String> values) {}

    public String getSingularProperty(String name) {
      return "deviceid".equals(name) ? "collect:javarosa-harness" : null;
    }

    public void addRules(IPropertyRules rules) {}

    public List<IPropertyRules> getRules() {
      return new ArrayList<>();
    }
  }

  static SelectChoice choice(FormEntryPrompt prompt, String value) {
    for (SelectChoice c : prompt.getSelectChoices()) {
      if (c.getValue().equals(value)) return c;
    }
    return null;
  }

  public static void main(String[] args) throws Exception {
    Properties answers = new Properties();
    try (InputStreamReader in =
        new InputStreamReader(new FileInputStream(args[1]), StandardCharsets.UTF_8)) {
      answers.load(in);
    }
    PropertyManager.setPropertyManager(new PhoneProperties());
    FormDef form = XFormUtils.getFormFromInputStream(new FileInputStream(args[0]));
    FormEntryModel model = new FormEntryModel(form);
    FormEntryController controller = new FormEntryController(model);
    form.initialize(true, new InstanceInitializationFactory()); // preloads: uid, start, deviceid
    for (int event = controller.stepToNextEvent();
        event != FormEntryController.EVENT_END_OF_FORM;
        event = controller.stepToNextEvent()) {
      if (event != FormEntryController.EVENT_QUESTION) continue;
      FormEntryPrompt prompt = model.getQuestionPrompt();
      String name = prompt.getIndex().getReference().getNameLast();
      String text = answers.getProperty(name);
      IAnswerData value = null;
      if (text != null && !text.isEmpty()) {
        switch (prompt.getDataType()) {
          case Constants.DATATYPE_INTEGER:
            value = new IntegerData(Integer.parseInt(text));
            break;
          case Constants.DATATYPE_DATE:
            value = new DateData(new SimpleDateFormat("yyyy-MM-dd").parse(text));
            break;
          case Constants.DATATYPE_GEOPOINT:
            String[] parts = text.trim().split("\\s+");
            double[] point = new double[parts.length];
            for (int i = 0; i < parts.length; i++) point[i] = Double.parseDouble(parts[i]);
            value = new GeoPointData(point);
            break;
          case Constants.DATATYPE_CHOICE:
            SelectChoice one = choice(prompt, text);
            if (one == null) {
              System.err.println("NO_CHOICE " + name + " " + text);
              System.exit(3);
            }
            value = new SelectOneData(new Selection(one));
            break;
          case Constants.DATATYPE_CHOICE_LIST:
            List<Selection> many = new ArrayList<>();
            for (String item : text.trim().split("\\s+")) {
              SelectChoice c = choice(prompt, item);
              if (c == null) {
                System.err.println("NO_CHOICE " + name + " " + item);
                System.exit(3);
              }
              many.add(new Selection(c));
            }
            value = new SelectMultiData(many);
            break;
          default: // text, and binary questions hold the file name
            value = new StringData(text);
        }
      }
      int status = controller.answerQuestion(value, true);
      if (status == FormEntryController.ANSWER_CONSTRAINT_VIOLATED) {
        System.err.println("CONSTRAINT " + name);
        System.exit(2);
      }
      if (status == FormEntryController.ANSWER_REQUIRED_BUT_EMPTY) {
        System.err.println("REQUIRED " + name);
        System.exit(2);
      }
    }
    form.postProcessInstance(); // end timestamp, as Collect does when the form is finalized
    System.out.write(new XFormSerializingVisitor().serializeInstance(form.getInstance()));
    System.out.flush();
  }
}
